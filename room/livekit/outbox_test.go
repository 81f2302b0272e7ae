package livekit

import (
	"slices"
	"sync"
	"testing"
	"time"
)

// TestOutbox: chat sent while the link is silent or the SDK reconnects is
// held, and sent in order once both are over; otherwise it goes at once.
func TestOutbox(t *testing.T) {
	var o outbox
	var mu sync.Mutex
	var sent []string
	msg := func(s string) func() error {
		return func() error {
			mu.Lock()
			defer mu.Unlock()
			sent = append(sent, s)
			return nil
		}
	}
	got := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(sent)
	}
	_ = o.send(msg("a"))
	o.setSilent(true)
	_ = o.send(msg("b"))
	o.setReconnecting(true)
	_ = o.send(msg("c"))
	o.setSilent(false) // feedback back, but still reconnecting
	time.Sleep(50 * time.Millisecond)
	if s := got(); !slices.Equal(s, []string{"a"}) {
		t.Fatalf("sent during the trouble: %q", s)
	}
	o.setReconnecting(false)
	for end := time.Now().Add(2 * time.Second); len(got()) < 3 && time.Now().Before(end); {
		time.Sleep(10 * time.Millisecond)
	}
	_ = o.send(msg("d"))
	for end := time.Now().Add(2 * time.Second); len(got()) < 4 && time.Now().Before(end); {
		time.Sleep(10 * time.Millisecond)
	}
	if s := got(); !slices.Equal(s, []string{"a", "b", "c", "d"}) {
		t.Errorf("sent %q, want a, b, c, d in order", s)
	}
}
