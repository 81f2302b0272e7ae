//go:build linux

package apm

import (
	"math"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

	"kaigi/media/tone"
)

// scene is a synthetic room: what is played comes back to the microphone
// delayMs later at echoGain, with a near-end voice and steady noise. The
// near voice is a tone in syllables (300 ms on, 200 ms off): a steady
// tone is what noise suppression is made to remove.
type scene struct {
	farHz, nearHz float64 // 0: silent
	echoGain      float64
	delayMs       int
	noise         float64 // RMS of white noise, 0..1
}

// floor is a quiet microphone's own noise (-60 dBFS).
const floor = 0.001

// run plays the scene through p for secs seconds, reporting reportedMs as
// the delay, and returns the last second of what p let through.
func (s scene) run(t testing.TB, p *Processor, secs, reportedMs int) []int16 {
	delay := s.delayMs * Rate / 1000
	played := make([]int16, delay) // the echo path's buffer
	far, mic := make([]int16, Frame), make([]int16, Frame)
	near := make([]int16, Frame)
	var farPh, nearPh float64
	rng := rand.New(rand.NewPCG(1, 2))
	var out []int16
	for f := 0; f < secs*100; f++ {
		clear(far)
		clear(near)
		if s.farHz > 0 {
			tone.Fill(far, s.farHz, 0.316*32767, &farPh)
		}
		if s.nearHz > 0 {
			tone.Fill(near, s.nearHz, 0.1*32767, &nearPh)
			if f%50 >= 30 {
				clear(near)
			}
		}
		if err := p.Render(far); err != nil {
			t.Fatal(err)
		}
		played = append(played, far...)
		for i := range mic {
			v := s.echoGain*float64(played[i]) + float64(near[i]) + s.noise*32768*rng.NormFloat64()
			mic[i] = int16(max(-32768, min(32767, v)))
		}
		played = played[Frame:]
		if err := p.Capture(mic, reportedMs); err != nil {
			t.Fatal(err)
		}
		if f >= (secs-1)*100 {
			out = append(out, mic...)
		}
	}
	return out
}

func db(a, b float64) float64 { return 20 * math.Log10(a/b) }

// noiseLevel is the RMS of pcm between 1 and 8 kHz, clear of the tones.
func noiseLevel(pcm []int16) float64 { return tone.BandLevel(pcm, 1000, 8000) }

func newProc(t testing.TB, cfg Config) *Processor {
	p, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

var all = Config{EchoCancel: true, NoiseSuppress: true, GainControl: true}

// TestEcho: the far tone's echo, 120 ms late while we report 20 ms, is
// cancelled by 30 dB or more within 3 s; with processing off it is not.
func TestEcho(t *testing.T) {
	s := scene{farHz: 440, echoGain: 0.3, delayMs: 120}
	off := tone.LevelAt(s.run(t, newProc(t, Config{}), 3, 20), 440)
	p := newProc(t, all)
	on := tone.LevelAt(s.run(t, p, 3, 20), 440)
	t.Logf("echo at 440 Hz: %.4f off, %.6f on (%.1f dB); %+v", off, on, db(off, on), p.Stats())
	if db(off, on) < 30 {
		t.Errorf("echo reduced by %.1f dB, want 30", db(off, on))
	}
}

// TestDoubleTalk: the near voice passes while the far end plays.
func TestDoubleTalk(t *testing.T) {
	alone := tone.LevelAt(scene{nearHz: 660, noise: floor}.run(t, newProc(t, all), 4, 20), 660)
	both := scene{farHz: 440, nearHz: 660, echoGain: 0.3, delayMs: 120, noise: floor}
	out := both.run(t, newProc(t, all), 4, 20)
	dt, echo := tone.LevelAt(out, 660), tone.LevelAt(out, 440)
	t.Logf("near 660 Hz: %.4f alone, %.4f in double talk (%.1f dB); echo %.5f", alone, dt, db(dt, alone), echo)
	if math.Abs(db(dt, alone)) > 6 {
		t.Errorf("near voice changed by %.1f dB in double talk", db(dt, alone))
	}
}

// TestNoise: steady noise drops by 15 dB or more; the near tone stays.
func TestNoise(t *testing.T) {
	s := scene{nearHz: 660, noise: 0.01}
	offOut := s.run(t, newProc(t, Config{}), 4, 20)
	onOut := s.run(t, newProc(t, all), 4, 20)
	off, on := noiseLevel(offOut), noiseLevel(onOut)
	hz, _ := tone.Dominant(onOut)
	t.Logf("noise %.5f off, %.5f on (%.1f dB); near tone %.4f -> %.4f, dominant %.1f Hz",
		off, on, db(off, on), tone.LevelAt(offOut, 660), tone.LevelAt(onOut, 660), hz)
	if db(off, on) < 15 {
		t.Errorf("noise reduced by %.1f dB, want 15", db(off, on))
	}
	if math.Abs(hz-660) > 2 {
		t.Errorf("near tone lost: dominant %.1f Hz", hz)
	}
}

func TestFrameSize(t *testing.T) {
	p := newProc(t, all)
	if p.Render(make([]int16, 100)) == nil || p.Capture(make([]int16, 100), 0) == nil {
		t.Error("a short frame was accepted")
	}
	p.Close()
	if p.Render(make([]int16, Frame)) != ErrClosed {
		t.Error("render after Close")
	}
}

// BenchmarkProcess is the CPU one second of call costs (100 frames each
// way, every stage on), as a share of one core.
func BenchmarkProcess(b *testing.B) {
	p := newProc(b, all)
	far, mic := make([]int16, Frame), make([]int16, Frame)
	var ph float64
	tone.Fill(far, 440, 10000, &ph)
	rng := rand.New(rand.NewPCG(1, 2))
	noise := make([]int16, 100*Frame)
	for j := range noise {
		noise[j] = int16(300 * rng.NormFloat64())
	}
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for f := 0; f < 100; f++ {
			for j := range mic {
				mic[j] = far[j]/3 + noise[f*Frame+j]
			}
			if p.Render(far) != nil || p.Capture(mic, 20) != nil {
				b.Fatal("processing failed")
			}
		}
	}
	b.StopTimer()
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N)/1e6*100, "%core")
}

// cpuTime is the CPU this process has used: a busy machine stretches the
// wall time of a benchmark, not its CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkAddedLatency reports what each stage delays the sound by (its
// filters' own delay; frames are processed in place), found as the lag
// that best matches output to input on noise bursts.
func BenchmarkAddedLatency(b *testing.B) {
	for _, c := range []struct {
		name string
		cfg  Config
	}{{"none", Config{}}, {"echo", Config{EchoCancel: true}}, {"noise", Config{NoiseSuppress: true}},
		{"gain", Config{GainControl: true}}, {"all", all}} {
		b.Run(c.name, func(b *testing.B) {
			var ms float64
			for i := 0; i < b.N; i++ {
				ms = latencyOf(b, c.cfg)
			}
			b.ReportMetric(ms, "ms-added")
		})
	}
}

func latencyOf(t testing.TB, cfg Config) float64 {
	p := newProc(t, cfg)
	rng := rand.New(rand.NewPCG(7, 8))
	in := make([]int16, 3*Rate)
	for i := range in {
		if i%(Rate/4) < Rate/8 { // 125 ms bursts, like syllables
			in[i] = int16(3000 * rng.NormFloat64())
		}
	}
	out := append([]int16(nil), in...)
	silence := make([]int16, Frame)
	for f := 0; f+Frame <= len(out); f += Frame {
		if p.Render(silence) != nil || p.Capture(out[f:f+Frame], 20) != nil {
			t.Fatal("processing failed")
		}
	}
	// Over the last second, past the gain control's first adaptation.
	best, bestLag := 0.0, 0
	for lag := 0; lag <= Rate/50; lag++ {
		var c float64
		for i := 2 * Rate; i+lag < len(in); i++ {
			c += float64(in[i]) * float64(out[i+lag])
		}
		if c > best {
			best, bestLag = c, lag
		}
	}
	return float64(bestLag) * 1000 / Rate
}
