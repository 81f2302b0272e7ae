package livekit

import (
	"errors"
	"slices"
	"sync"
	"testing"
	"time"
)

// TestOutbox: chat sent while the link is silent or the SDK reconnects is
// held, and sent in order once both are over, each held line reported as
// gone out; otherwise it goes at once.
func TestOutbox(t *testing.T) {
	var o outbox
	var mu sync.Mutex
	var sent, told []string
	o.sent = func(id string, err error) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			t.Errorf("%s reported refused: %v", id, err)
		}
		told = append(told, id)
	}
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
	var held []bool
	send := func(s string) {
		h, err := o.send(s, s, msg(s))
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, h)
	}
	send("a")
	o.setSilent(true)
	send("b")
	o.setReconnecting(true)
	send("c")
	o.setSilent(false) // feedback back, but still reconnecting
	time.Sleep(50 * time.Millisecond)
	if s := got(); !slices.Equal(s, []string{"a"}) {
		t.Fatalf("sent during the trouble: %q", s)
	}
	o.setReconnecting(false)
	for end := time.Now().Add(2 * time.Second); len(got()) < 3 && time.Now().Before(end); {
		time.Sleep(10 * time.Millisecond)
	}
	send("d")
	for end := time.Now().Add(2 * time.Second); len(got()) < 4 && time.Now().Before(end); {
		time.Sleep(10 * time.Millisecond)
	}
	if s := got(); !slices.Equal(s, []string{"a", "b", "c", "d"}) {
		t.Errorf("sent %q, want a, b, c, d in order", s)
	}
	if !slices.Equal(held, []bool{false, true, true, false}) {
		t.Errorf("held %v, want b and c held", held)
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(told, []string{"b", "c"}) {
		t.Errorf("told sent %q, want b and c, the held ones", told)
	}
}

// TestOutboxUnsent: a held line refused when its turn came is reported
// with the error at once (the call still runs: the user may send it
// again); what the outbox still holds when the session ends is handed
// back in order; after the end nothing more is taken.
func TestOutboxUnsent(t *testing.T) {
	var o outbox
	refusedNow := make(chan string, 1)
	o.sent = func(id string, err error) {
		if err == nil {
			t.Errorf("%s reported sent", id)
		}
		refusedNow <- id
	}
	refused := func() error { return errors.New("data channel closed") }
	o.setReconnecting(true)
	_, _ = o.send("1", "first", refused)
	o.setReconnecting(false) // its turn: refused
	select {
	case id := <-refusedNow:
		if id != "1" {
			t.Errorf("refused %q, want 1", id)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("a refused line was never reported")
	}
	o.setSilent(true)
	_, _ = o.send("2", "second", func() error { t.Error("sent after the end"); return nil })
	_, _ = o.send("3", "third", func() error { t.Error("sent after the end"); return nil })
	if got := o.close(); !slices.Equal(got, []string{"second", "third"}) {
		t.Errorf("unsent %q, want second, third (first was reported)", got)
	}
	if _, err := o.send("4", "late", func() error { t.Error("sent after close"); return nil }); err == nil {
		t.Error("a message after close was taken")
	}
	o.setSilent(false)
	time.Sleep(50 * time.Millisecond)
}
