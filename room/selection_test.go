package room

import (
	"context"
	"sync"
	"testing"
	"time"
)

func TestSelectionOf(t *testing.T) {
	s := NewSelection()
	if q := s.Of("anyone"); q != QualityHigh {
		t.Errorf("before any selection: %v, want everything in full", q)
	}
	shown := map[string]Quality{"a": QualityHigh, "b": QualityLow}
	s.Set(shown)
	shown["c"] = QualityHigh // the caller's map is not kept
	for id, want := range map[string]Quality{"a": QualityHigh, "b": QualityLow, "c": QualityOff, "d": QualityOff} {
		if q := s.Of(id); q != want {
			t.Errorf("%s: %v, want %v", id, q, want)
		}
	}
	s.Set(nil) // nothing shown: everyone off, not "nothing selected"
	if q := s.Of("a"); q != QualityOff {
		t.Errorf("after Set(nil): %v, want off", q)
	}
}

// TestSelectionRun: apply runs on Run's goroutine after a Set, sees the
// newest selection, not before anything was selected, and Run ends with
// its context.
func TestSelectionRun(t *testing.T) {
	s := NewSelection()
	ctx, cancel := context.WithCancel(context.Background())
	applied := make(chan Quality, 10)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.Run(ctx, func(quality func(string) Quality) { applied <- quality("a") })
	}()
	s.Wake() // nothing selected yet: nothing to apply
	select {
	case q := <-applied:
		t.Fatalf("applied %v before any selection", q)
	case <-time.After(100 * time.Millisecond):
	}
	s.Set(map[string]Quality{"a": QualityLow})
	if q := <-applied; q != QualityLow {
		t.Errorf("applied %v, want low", q)
	}
	s.Wake() // a new track: apply again
	if q := <-applied; q != QualityLow {
		t.Errorf("applied %v again, want low", q)
	}
	s.Set(map[string]Quality{"a": QualityHigh})
	if q := <-applied; q != QualityHigh {
		t.Errorf("applied %v, want high", q)
	}
	cancel()
	wg.Wait()
}
