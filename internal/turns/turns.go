// Package turns makes load-test participants speak as people in a meeting
// do: two at a time, for a few seconds each, the others silent. The tone
// still goes to the encoder, as silence, so what is sent while silent is
// whatever Kaigi sends for silence (Opus DTX).
package turns

import (
	"context"
	"time"

	"kaigi/media"
)

// Length is one turn.
const Length = 3 * time.Second

// Schedule is N participants taking turns from Start: participant i
// speaks with i+N/2, for Length, then the next pair. Before Start nobody
// speaks (while everyone joins).
type Schedule struct {
	N     int
	Start time.Time
}

// Speaking says whether participant i speaks at t.
func (s Schedule) Speaking(i int, t time.Time) bool {
	if t.Before(s.Start) {
		return false
	}
	pairs := max(s.N/2, 1)
	return int(t.Sub(s.Start)/Length)%pairs == i%pairs
}

// Source passes its source's sound on while participant I speaks, and
// silence otherwise.
type Source struct {
	media.AudioSource
	Schedule Schedule
	I        int
}

func (s *Source) ReadAudio(ctx context.Context, pcm []int16) error {
	if err := s.AudioSource.ReadAudio(ctx, pcm); err != nil {
		return err
	}
	if !s.Schedule.Speaking(s.I, time.Now()) {
		clear(pcm)
	}
	return nil
}
