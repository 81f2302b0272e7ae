package headless_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"kaigi/headless"
	"kaigi/internal/race"
	"kaigi/media/pulsetest"
	"kaigi/media/tone"
	"kaigi/room/galene"
)

// The echo tests build a laptop out of PulseAudio modules: what the near
// participant plays on its speaker (kspk_a, or kspk_b at 44.1 kHz after a
// switch) comes back through module-loopback into the room (a sink)
// 100 ms (150 ms from kspk_b) later and 13 dB weaker, mixed with the near
// voice and noise; the near participant's microphone (kmic) hears the
// room. A far participant, in this process too, sends a 440 Hz tone and
// plays what arrives on fspk, which the test records: what comes back to
// the far end. Both are headless participants of a meeting hosted in this
// process, exactly as `kaigi join --headless --microphone kmic --speaker
// kspk_a` runs them.
//
// KAIGI_ECHO_TEST_PROCESSING=off runs the near participant without
// processing where the tests expect it on: the tests must then fail.
// KAIGI_ECHO_TEST_DUMP=DIR writes what the far end heard in each call
// (raw s16le, 48 kHz, mono) there.

// The far end sends a steady tone; the near voice is tones in syllables
// between 560 and 800 Hz (nearLow..nearHigh).
const (
	farHz    = 440.0
	nearLow  = 530.0
	nearHigh = 830.0
	rate     = 48000
)

// syllables are the pitches of the near voice, one per syllable. None is
// 250 Hz (or a multiple) away from the far tone: the echo canceller
// compares far and near sound in 4 ms blocks, and two tones 250 Hz apart
// turn by the same phase every block, so to it they look like one sound
// and its echo (a 690 Hz syllable was suppressed by 35 dB). Speech never
// holds such a pair for long.
var syllables = []float64{560, 590, 620, 770, 800}

func startRoom(t *testing.T) {
	pulsetest.Start(t,
		"module-null-sink sink_name=kspk_a rate=48000",
		"module-null-sink sink_name=kspk_b rate=44100",
		"module-null-sink sink_name=room rate=48000",
		"module-loopback source=kspk_a.monitor sink=room latency_msec=100 source_dont_move=true sink_dont_move=true",
		"module-loopback source=kspk_b.monitor sink=room latency_msec=150 source_dont_move=true sink_dont_move=true",
		"module-virtual-source source_name=kmic master=room.monitor",
		"module-null-sink sink_name=fspk rate=48000")
	setEcho(t, true)
}

// setEcho turns the echo paths on (60 % volume: -13 dB) or off.
func setEcho(t *testing.T, on bool) {
	t.Helper()
	out, err := exec.Command("pactl", "list", "short", "sink-inputs").Output()
	if err != nil {
		t.Fatal(err)
	}
	vol := "0%"
	if on {
		vol = "60%"
	}
	n := 0
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) > 3 && strings.Contains(f[3], "loopback") {
			if err := exec.Command("pactl", "set-sink-input-volume", f[0], vol).Run(); err != nil {
				t.Fatal(err)
			}
			n++
		}
	}
	if n != 2 {
		t.Fatalf("found %d echo paths, want 2:\n%s", n, out)
	}
}

// nearVoice plays the near voice into the room: syllables of 300 ms with
// 200 ms between them, each on its own pitch, as speech moves (one steady
// tone is what noise suppression is made to remove, a hum); noise adds
// white noise of that RMS.
func nearVoice(t *testing.T, ctx context.Context, level, noise float64) {
	var ph float64
	var pos int
	rng := rand.New(rand.NewPCG(5, 6))
	one := make([]int16, 1)
	pulsetest.Play(t, ctx, "room", func(pcm []int16) {
		for i := range pcm {
			v := 0.0
			if pos%(rate/2) < rate*3/10 {
				tone.Fill(one, syllables[pos/(rate/2)%len(syllables)], level*32767, &ph)
				v = float64(one[0])
			}
			v += noise * 32768 * rng.NormFloat64()
			pcm[i] = int16(max(-32768, min(32767, v)))
			pos++
		}
	})
}

// noiseLevel is the steady noise between 1 and 8 kHz, clear of the tones:
// the median over 85 ms pieces, so that the clicks of a buffer running
// dry on a busy machine (broadband, but rare) do not count as noise.
func noiseLevel(pcm []int16) float64 {
	var ls []float64
	for len(pcm) >= 4096 {
		ls = append(ls, tone.BandLevel(pcm[:4096], 1000, 8000))
		pcm = pcm[4096:]
	}
	if len(ls) == 0 {
		return 0
	}
	sort.Float64s(ls)
	return ls[len(ls)/2]
}

// voiceLevel is the RMS of the near voice's band.
func voiceLevel(pcm []int16) float64 { return bandLevel(pcm, nearLow, nearHigh) }

// call is one meeting: the far and near participants for secs seconds,
// with the far end's speaker recorded.
type call struct {
	processing bool
	secs       float64
	switchAt   time.Duration // after the near participant joined (0: never)
	during     func(start time.Time)
}

type callResult struct {
	rec        *pulsetest.Recording
	far        []int16   // what the far participant played
	start      time.Time // of the recording and both participants
	connected  time.Time // when the near end first played the far end
	switchedAt time.Time
	near       headless.Result
}

func forcedOff() bool { return os.Getenv("KAIGI_ECHO_TEST_PROCESSING") == "off" }

func (c call) run(t *testing.T) callResult {
	t.Helper()
	l := hostedMeeting(t, "echo")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rec := pulsetest.Record(t, "fspk.monitor")
	start := time.Now()
	dur := time.Duration(c.secs * float64(time.Second))
	base := headless.Options{Link: l, Dial: galene.Dial, Duration: dur, Start: start, Width: 160, Height: 120, FPS: 5}
	far := base
	far.Name, far.ToneHz, far.Speaker = "far", farHz, "fspk"
	near := base
	near.Name, near.ToneHz, near.Microphone, near.Speaker = "near", 600, "kmic", "kspk_a"
	near.NoAudioProcessing = !c.processing || forcedOff()
	near.SwitchSpeakerAfter, near.SwitchSpeakerTo = c.switchAt, "kspk_b"
	var wg sync.WaitGroup
	var res [2]headless.Result
	for i, o := range []headless.Options{far, near} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			if res[i], err = headless.Run(ctx, o); err != nil {
				t.Errorf("%s: %v", o.Name, err)
			}
		}()
	}
	if c.during != nil {
		c.during(start)
	}
	wg.Wait()
	out := callResult{rec: rec, far: rec.Stop(), start: start, near: res[1]}
	// The call starts for the echo when the far tone first plays at the
	// near end (the meeting takes a varying while to start media).
	heard := 0.0
	for _, p := range res[1].Peers {
		if p.Name == "far" {
			heard = p.FirstAudioMs
		}
	}
	if heard == 0 {
		t.Fatalf("the near participant never heard the far one: %+v", res[1].Peers)
	}
	out.connected = start.Add(time.Duration(heard * float64(time.Millisecond)))
	out.switchedAt = start.Add(time.Duration(res[1].ConnectedMs*float64(time.Millisecond)) + c.switchAt)
	t.Logf("processing %v: joined after %.0f ms (far %.0f ms), far heard after %.0f ms, echo delay estimate %d ms, %d samples recorded",
		c.processing && !forcedOff(), res[1].ConnectedMs, res[0].ConnectedMs, heard, res[1].EchoDelayMs, len(out.far))
	// What the far end heard, every half second from the start: the far
	// tone's echo / the near voice.
	var line []string
	for a := 0.0; a+0.5 <= c.secs; a += 0.5 {
		if w := out.tryWindow(start, a, a+0.5); w != nil {
			line = append(line, fmt.Sprintf("%.1fs:%.0f/%.0f", a, 20*math.Log10(max(levelAt(w, farHz), 1e-6)), 20*math.Log10(max(voiceLevel(w), 1e-6))))
		}
	}
	t.Logf("dBFS every 0.5 s, echo/voice: %s", strings.Join(line, " "))
	if d := os.Getenv("KAIGI_ECHO_TEST_DUMP"); d != "" {
		f, _ := os.Create(fmt.Sprintf("%s/%s-%v.raw", d, t.Name(), c.processing))
		_ = binary.Write(f, binary.LittleEndian, out.far[max(0, out.rec.Index(start)):])
		f.Close()
	}
	return out
}

// window is what the far end played from a to b seconds after t0.
func (r callResult) window(t *testing.T, t0 time.Time, a, b float64) []int16 {
	t.Helper()
	w := r.tryWindow(t0, a, b)
	if w == nil {
		t.Fatalf("window %.1f-%.1f s is outside the %d samples recorded", a, b, len(r.far))
	}
	return w
}

func (r callResult) tryWindow(t0 time.Time, a, b float64) []int16 {
	from := r.rec.Index(t0.Add(time.Duration(a * float64(time.Second))))
	to := r.rec.Index(t0.Add(time.Duration(b * float64(time.Second))))
	if from < 0 || to > len(r.far) || from >= to {
		return nil
	}
	return r.far[from:to]
}

// bandLevel is the RMS of pcm between lo and hi Hz, over all of pcm (in
// pieces of 170 ms).
func bandLevel(pcm []int16, lo, hi float64) float64 {
	var sum float64
	n := 0
	for ; len(pcm) >= 8192; pcm = pcm[8192:] {
		l := tone.BandLevel(pcm[:8192], lo, hi)
		sum += l * l
		n++
	}
	if n == 0 {
		return 0
	}
	return math.Sqrt(sum / float64(n))
}

// levelAt is the RMS of what lies within 30 Hz of hz: a tone that passed
// through jitter buffers, concealment and a resampling loopback has phase
// jumps that spread it over a few bins.
func levelAt(pcm []int16, hz float64) float64 { return bandLevel(pcm, hz-30, hz+30) }

// db is how much lower b is than a, in dB (silence counts as -120 dBFS).
func db(a, b float64) float64 { return 20 * math.Log10(max(a, 1e-6)/max(b, 1e-6)) }

// TestEchoCancelled: the far tone coming back is 30 dB or more below its
// level without processing, within 3 s of the call starting and within
// 3 s of a switch to a speaker with another delay and sample rate.
func TestEchoCancelled(t *testing.T) {
	startRoom(t)
	c := call{secs: 10, switchAt: 4 * time.Second}
	off := c.run(t)
	c.processing = true
	on := c.run(t)
	for _, w := range []struct {
		name     string
		off, on  time.Time
		from, to float64
	}{
		{"2-3 s after the call started", off.connected, on.connected, 2, 3},
		{"2-3 s after the speaker switch", off.switchedAt, on.switchedAt, 2, 3},
	} {
		lOff := levelAt(off.window(t, w.off, w.from, w.to), farHz)
		lOn := levelAt(on.window(t, w.on, w.from, w.to), farHz)
		t.Logf("echo %s: %.5f off, %.6f on: %.1f dB lower", w.name, lOff, lOn, db(lOff, lOn))
		if lOff < 0.003 {
			t.Errorf("%s: without processing the echo is only %.5f: the echo path is broken", w.name, lOff)
		}
		if !race.Enabled && db(lOff, lOn) < 30 {
			t.Errorf("echo %s is %.1f dB lower with processing, want 30", w.name, db(lOff, lOn))
		}
	}
}

// TestDoubleTalk: while the far tone plays and echoes, the near voice
// reaches the far end within 6 dB of its level without echo, and the echo
// is still held down (10 dB or more below its level without processing:
// the canceller suppresses less while both talk). Each call goes as calls
// do: the far end talks alone for 4 s, then both talk; the near voice is
// measured from 6 to 8 s, in a call with the echo path and in one without
// it (the same time into the call, so the gain control has adapted
// alike).
func TestDoubleTalk(t *testing.T) {
	startRoom(t)
	run := func(processing, echo bool) (voice, farEcho float64) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		c := call{secs: 8.5, processing: processing, during: func(start time.Time) {
			setEcho(t, echo)
			time.Sleep(time.Until(start.Add(4 * time.Second)))
			nearVoice(t, ctx, 0.3, 0.001)
		}}
		r := c.run(t)
		if r.connected.Sub(r.start) > 2*time.Second {
			t.Fatalf("the far end was first heard %s after the start: the window below misses", r.connected.Sub(r.start))
		}
		w := r.window(t, r.start, 6, 8)
		voice, farEcho = voiceLevel(w), levelAt(w, farHz)
		t.Logf("processing %v, echo path %v: near voice %.4f, echo %.5f", processing, echo, voice, farEcho)
		return voice, farEcho
	}
	offVoice, offEcho := run(false, true)
	alone, _ := run(true, false)
	both, onEcho := run(true, true)
	t.Logf("near voice in double talk %+.1f dB against no echo; echo %.1f dB lower than without processing (near voice %.4f without processing)",
		-db(alone, both), db(offEcho, onEcho), offVoice)
	if alone < 0.005 {
		t.Errorf("near voice at %.4f without echo: not heard", alone)
	}
	if !race.Enabled && math.Abs(db(alone, both)) > 6 {
		t.Errorf("near voice changed by %+.1f dB in double talk, want within 6 dB", -db(alone, both))
	}
	if !race.Enabled && db(offEcho, onEcho) < 10 {
		t.Errorf("echo in double talk is %.1f dB lower with processing, want 10", db(offEcho, onEcho))
	}
}

// TestNoiseSuppressed: steady noise in the room (-40 dBFS, the near voice
// at about -20 dBFS) reaches the far end 15 dB lower with processing, and
// the near voice is still what is heard. The drop against the near voice
// is logged too: the gain control may move both.
func TestNoiseSuppressed(t *testing.T) {
	startRoom(t)
	var noise, voice [2]float64
	for i, processing := range []bool{false, true} {
		ctx, cancel := context.WithCancel(context.Background())
		nearVoice(t, ctx, 0.2, 0.01)
		c := call{secs: 7.5, processing: processing, during: func(time.Time) { setEcho(t, false) }}
		r := c.run(t)
		cancel()
		w := r.window(t, r.connected, 3, 6)
		noise[i], voice[i] = noiseLevel(w), voiceLevel(w)
		hz, _ := tone.Dominant(w)
		t.Logf("processing %v: noise (1-8 kHz) %.5f, near voice %.4f, strongest %.1f Hz", processing, noise[i], voice[i], hz)
		if hz < nearLow || hz > nearHigh {
			t.Errorf("processing %v: the near voice is not what is heard (strongest %.1f Hz)", processing, hz)
		}
	}
	absolute := db(noise[0], noise[1])
	relative := absolute + db(voice[1], voice[0])
	t.Logf("noise %.1f dB lower with processing (%.1f dB against the near voice, which changed %+.1f dB)",
		absolute, relative, -db(voice[0], voice[1]))
	if !race.Enabled && absolute < 15 {
		t.Errorf("noise is %.1f dB lower with processing, want 15", absolute)
	}
}
