//go:build linux

// A C shim over the C++ API of webrtc-audio-processing 0.3 (Debian's
// libwebrtc-audio-processing-dev): cgo cannot call C++ itself.
#include "apm.h"

#include <webrtc/modules/audio_processing/include/audio_processing.h>

using webrtc::AudioProcessing;
using webrtc::StreamConfig;

struct kaigi_apm {
	AudioProcessing *apm; // echo cancellation and noise suppression
	AudioProcessing *agc; // gain control, after them
	StreamConfig mono;
	int frame;       // samples per 10 ms
	float *render;   // scratch frames as floats in [-1, 1]
	float *capture;
};

static void to_float(const int16_t *in, float *out, int n) {
	for (int i = 0; i < n; i++) out[i] = in[i] / 32768.0f;
}

static void to_int16(const float *in, int16_t *out, int n) {
	for (int i = 0; i < n; i++) {
		float v = in[i] * 32768.0f;
		if (v > 32767.0f) v = 32767.0f;
		if (v < -32768.0f) v = -32768.0f;
		out[i] = (int16_t)(v < 0 ? v - 0.5f : v + 0.5f);
	}
}

// The gain control runs in a module of its own that never sees what is
// played: given the far end, WebRTC's AGC lowers its gain whenever the far
// end talks, and that cut the near voice by 5-8 dB in double talk (our
// synthetic scene, media/apm tests); alone it costs nothing.
static AudioProcessing *new_agc(const webrtc::ProcessingConfig &pc) {
	webrtc::Config cfg;
	cfg.Set<webrtc::ExperimentalAgc>(new webrtc::ExperimentalAgc(false));
	AudioProcessing *apm = AudioProcessing::Create(cfg);
	if (!apm) return nullptr;
	if (apm->Initialize(pc) != 0) {
		delete apm;
		return nullptr;
	}
	webrtc::GainControl *gc = apm->gain_control();
	gc->set_mode(webrtc::GainControl::kAdaptiveDigital);
	// A target of -18 dBFS: speech at a normal distance from a laptop's
	// microphone is about there already, so the gain rises for quiet
	// talkers only. With -9 (or WebRTC's -3) it rose by 3-9 dB from call
	// to call, lifting the noise between words as much (undoing up to half
	// of the noise suppression end to end). A compression gain of 3 dB,
	// not 9: the compressor lifts quiet sound most, the noise with it.
	gc->set_target_level_dbfs(18);
	gc->set_compression_gain_db(3);
	gc->enable_limiter(true);
	return apm;
}

extern "C" kaigi_apm *kaigi_apm_new(int rate) {
	webrtc::Config cfg;
	// The echo path's delay is found by the AEC itself (our reported
	// delay is only a start), over a 128 ms filter.
	cfg.Set<webrtc::DelayAgnostic>(new webrtc::DelayAgnostic(true));
	cfg.Set<webrtc::ExtendedFilter>(new webrtc::ExtendedFilter(true));
	// The experimental AGC drives an analog microphone volume we do not
	// have; the digital AGC below works on the samples.
	cfg.Set<webrtc::ExperimentalAgc>(new webrtc::ExperimentalAgc(false));
	AudioProcessing *apm = AudioProcessing::Create(cfg);
	if (!apm) return nullptr;
	kaigi_apm *a = new kaigi_apm;
	a->apm = apm;
	a->agc = nullptr;
	a->mono = StreamConfig(rate, 1);
	a->frame = rate / 100;
	a->render = new float[a->frame];
	a->capture = new float[a->frame];
	webrtc::ProcessingConfig pc = {{a->mono, a->mono, a->mono, a->mono}};
	a->agc = new_agc(pc);
	if (!a->agc || apm->Initialize(pc) != 0) {
		kaigi_apm_free(a);
		return nullptr;
	}
	apm->high_pass_filter()->Enable(true);
	webrtc::EchoCancellation *ec = apm->echo_cancellation();
	ec->enable_drift_compensation(false);
	// Low: moderate suppression cut the near voice by up to 7 dB in
	// double talk in the end-to-end test (headless/echo_test.go), low by
	// 2.3 dB at most, while the echo stayed 40 dB or more below.
	ec->set_suppression_level(webrtc::EchoCancellation::kLowSuppression);
	ec->enable_delay_logging(true);
	apm->noise_suppression()->set_level(webrtc::NoiseSuppression::kVeryHigh);
	return a;
}

extern "C" void kaigi_apm_free(kaigi_apm *a) {
	if (!a) return;
	delete a->apm;
	delete a->agc;
	delete[] a->render;
	delete[] a->capture;
	delete a;
}

extern "C" int kaigi_apm_set(kaigi_apm *a, int aec, int ns, int agc) {
	int err = a->apm->echo_cancellation()->Enable(aec != 0);
	if (!err) err = a->apm->noise_suppression()->Enable(ns != 0);
	if (!err) err = a->agc->gain_control()->Enable(agc != 0);
	return err;
}

extern "C" int kaigi_apm_render(kaigi_apm *a, const int16_t *pcm) {
	to_float(pcm, a->render, a->frame);
	float *ch[1] = {a->render};
	return a->apm->ProcessReverseStream(ch, a->mono, a->mono, ch);
}

extern "C" int kaigi_apm_capture(kaigi_apm *a, int16_t *pcm, int delay_ms) {
	to_float(pcm, a->capture, a->frame);
	float *ch[1] = {a->capture};
	// Out of range delays are clamped with a warning: not an error.
	int err = a->apm->set_stream_delay_ms(delay_ms);
	if (err != 0 && err != AudioProcessing::kBadStreamParameterWarning) return err;
	err = a->apm->ProcessStream(ch, a->mono, a->mono, ch);
	if (err == 0) err = a->agc->ProcessStream(ch, a->mono, a->mono, ch);
	if (err == 0) to_int16(a->capture, pcm, a->frame);
	return err;
}

extern "C" void kaigi_apm_stats_get(kaigi_apm *a, kaigi_apm_stats *s) {
	webrtc::EchoCancellation *ec = a->apm->echo_cancellation();
	s->echo_delay_ms = -1;
	s->echo_delay_std_ms = -1;
	s->poor_delays = 0;
	s->has_echo = 0;
	if (!ec->is_enabled()) return;
	int median = 0, std = 0;
	float poor = 0;
	if (ec->GetDelayMetrics(&median, &std, &poor) == 0) {
		s->echo_delay_ms = median;
		s->echo_delay_std_ms = std;
		s->poor_delays = poor;
	}
	s->has_echo = ec->stream_has_echo();
}
