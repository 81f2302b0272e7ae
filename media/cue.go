package media

import (
	"math"

	"kaigi/media/tone"
)

// Cue is a short sound that draws attention to something in a meeting.
// Cues are synthesized (no sound files ship), and play through the
// speaker's mixer with the voices: no second device, and the echo
// canceller hears them as it hears everything played.
type Cue int

const (
	CueJoin Cue = iota // someone joined: two soft rising notes
	CueChat            // a chat message while the chat is closed: one short note
	CueHand            // a hand was raised: three quick rising notes
)

// cueLevel is the cues' peak, well below a voice at full scale.
const cueLevel = 6000

// PCM is the cue's sound, mono at tone.Rate.
func (c Cue) PCM() []int16 {
	type note struct{ hz, ms float64 }
	var notes []note
	switch c {
	case CueJoin:
		notes = []note{{659.3, 110}, {880, 160}} // E5, A5
	case CueChat:
		notes = []note{{1174.7, 90}} // D6
	case CueHand:
		notes = []note{{1046.5, 70}, {1318.5, 70}, {1568, 120}} // C6, E6, G6
	default:
		return nil
	}
	var pcm []int16
	for _, n := range notes {
		samples := int(n.ms * tone.Rate / 1000)
		attack := tone.Rate / 200 // 5 ms: no click
		for i := 0; i < samples; i++ {
			env := math.Min(1, float64(i)/float64(attack)) * math.Exp(-4*float64(i)/float64(samples))
			pcm = append(pcm, int16(cueLevel*env*math.Sin(2*math.Pi*n.hz*float64(i)/tone.Rate)))
		}
	}
	return pcm
}

// PlayCue plays a cue with the voices (nothing without playback).
func (r *Remote) PlayCue(c Cue) {
	if r.out == nil {
		return
	}
	r.mixer.addCue(c.PCM())
}

// addCue queues a sound to be mixed in once.
func (m *mixer) addCue(pcm []int16) {
	m.mu.Lock()
	m.cues = append(m.cues, pcm)
	m.mu.Unlock()
}

// mixCues adds what is left of each cue into out, dropping the cues that
// are done. m.mu is held.
func (m *mixer) mixCues(out []int32) {
	kept := m.cues[:0]
	for _, c := range m.cues {
		n := min(len(out), len(c))
		for i := 0; i < n; i++ {
			out[i] += int32(c[i])
		}
		if c = c[n:]; len(c) > 0 {
			kept = append(kept, c)
		}
	}
	clear(m.cues[len(kept):])
	m.cues = kept
}
