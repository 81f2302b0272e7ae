package room

import (
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestEventsKeepOrderAndNeverBlock(t *testing.T) {
	defer goleak.VerifyNone(t)
	e := NewEvents()
	// Nobody reads yet: Emit must not wait for a reader.
	done := make(chan struct{})
	go func() {
		for i := range 1000 {
			e.Emit(Notice{Text: string(rune('a' + i%26))})
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Emit blocked without a reader")
	}
	e.Close()
	e.Emit(Notice{Text: "after close"}) // dropped
	n := 0
	for ev := range e.C() {
		if want := string(rune('a' + n%26)); ev.(Notice).Text != want {
			t.Fatalf("event %d is %q, want %q", n, ev.(Notice).Text, want)
		}
		n++
	}
	if n != 1000 {
		t.Errorf("%d events delivered after Close, want the 1000 queued", n)
	}
}

func TestEventsDrop(t *testing.T) {
	defer goleak.VerifyNone(t)
	e := NewEvents()
	e.Emit(StateEvent{State: Connecting})
	e.Emit(StateEvent{State: Connected})
	finished := make(chan struct{})
	go func() { e.Drop(); close(finished) }()
	select {
	case <-finished:
	case <-time.After(5 * time.Second):
		t.Fatal("Drop did not return without a reader")
	}
	if _, open := <-e.C(); open {
		t.Error("the channel is open after Drop")
	}
	e.Emit(StateEvent{State: Left}) // after Drop: nothing, no panic
}

func TestEventsCloseTwice(t *testing.T) {
	defer goleak.VerifyNone(t)
	e := NewEvents()
	e.Emit(ParticipantLeft{ID: "x"})
	e.Close()
	e.Close()
	var got []Event
	for ev := range e.C() {
		got = append(got, ev)
	}
	if len(got) != 1 {
		t.Errorf("got %v", got)
	}
}
