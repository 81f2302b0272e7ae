package media

import (
	"math"
	"testing"
	"unsafe"

	"kaigi/media/tone"
)

func TestCues(t *testing.T) {
	for _, c := range []struct {
		cue  Cue
		last float64 // Hz of the last note
		ms   float64
	}{{CueJoin, 880, 270}, {CueChat, 1174.7, 90}, {CueHand, 1568, 260}} {
		pcm := c.cue.PCM()
		if got := float64(len(pcm)) * 1000 / tone.Rate; math.Abs(got-c.ms) > 1 {
			t.Errorf("cue %d lasts %.0f ms, want %.0f", c.cue, got, c.ms)
		}
		peak := 0
		for _, s := range pcm {
			peak = max(peak, int(s), -int(s))
		}
		if peak < cueLevel/2 || peak > cueLevel {
			t.Errorf("cue %d peaks at %d", c.cue, peak)
		}
		tail := pcm[len(pcm)-2048:]
		if hz, _ := tone.Dominant(tail); math.Abs(hz-c.last) > 30 {
			t.Errorf("cue %d ends on %.0f Hz, want %.0f", c.cue, hz, c.last)
		}
	}
	if Cue(99).PCM() != nil {
		t.Error("an unknown cue has a sound")
	}
}

// TestCueMixed: a cue plays once through the speaker's callback, on top
// of the voices, and is gone after.
func TestCueMixed(t *testing.T) {
	m := newMixer(nil)
	cb := m.callback()
	m.addCue(CueChat.PCM())
	period := make([]int16, tone.Rate/100)
	out := unsafe.Slice((*byte)(unsafe.Pointer(&period[0])), len(period)*2)
	played := 0
	for i := 0; i < 20; i++ {
		cb(out, nil, uint32(len(period)))
		if tone.Level(period) > 0 {
			played++
		}
	}
	if played != 9 { // 90 ms in periods of 10 ms
		t.Errorf("the cue sounded in %d periods, want 9", played)
	}
	if len(m.cues) != 0 {
		t.Errorf("%d cues left", len(m.cues))
	}
}
