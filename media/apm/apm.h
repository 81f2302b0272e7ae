// The C face of our C++ shim over webrtc::AudioProcessing (cgo calls C).
#ifndef KAIGI_APM_H
#define KAIGI_APM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kaigi_apm kaigi_apm;

typedef struct {
	int echo_delay_ms;      // the AEC's delay estimate, median of the last second (-1: none yet)
	int echo_delay_std_ms;
	float poor_delays;      // share of delay estimates the AEC finds unusable
	int has_echo;           // the last capture frame might hold echo
} kaigi_apm_stats;

// kaigi_apm_new makes a processor for mono 10 ms frames at rate Hz.
kaigi_apm *kaigi_apm_new(int rate);
void kaigi_apm_free(kaigi_apm *a);
// kaigi_apm_set enables the stages; it returns an APM error code (0 = ok).
int kaigi_apm_set(kaigi_apm *a, int aec, int ns, int agc);
// kaigi_apm_render gives one frame of what is played (the echo reference).
int kaigi_apm_render(kaigi_apm *a, const int16_t *pcm);
// kaigi_apm_capture processes one captured frame in place.
int kaigi_apm_capture(kaigi_apm *a, int16_t *pcm, int delay_ms);
void kaigi_apm_stats_get(kaigi_apm *a, kaigi_apm_stats *s);

#ifdef __cplusplus
}
#endif

#endif
