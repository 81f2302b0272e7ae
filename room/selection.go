package room

import (
	"context"
	"maps"
	"sync"
)

// Selection holds the newest video selection (see VideoSelector) for a
// dialect to apply on its own goroutine, so that the UI never waits on the
// network: Set stores and wakes, Run applies the newest on every wake.
type Selection struct {
	mu    sync.Mutex
	shown map[string]Quality // nil: nothing selected yet, receive everything
	wake  chan struct{}
}

// NewSelection returns an empty selection (everything received in full).
func NewSelection() *Selection {
	return &Selection{wake: make(chan struct{}, 1)}
}

// Set stores a copy of shown and wakes Run.
func (s *Selection) Set(shown map[string]Quality) {
	c := maps.Clone(shown)
	if c == nil {
		c = map[string]Quality{}
	}
	s.mu.Lock()
	s.shown = c
	s.mu.Unlock()
	s.Wake()
}

// Wake makes Run apply the selection again (a new track arrived).
func (s *Selection) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Of is the quality wanted for a participant's video.
func (s *Selection) Of(participantID string) Quality {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.shown == nil {
		return QualityHigh
	}
	return s.shown[participantID]
}

// Run calls apply after every wake once something was selected, until ctx
// ends. apply runs on Run's goroutine only, so it may keep unlocked state.
func (s *Selection) Run(ctx context.Context, apply func(quality func(participantID string) Quality)) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
		}
		s.mu.Lock()
		selected := s.shown != nil
		s.mu.Unlock()
		if selected {
			apply(s.Of)
		}
	}
}
