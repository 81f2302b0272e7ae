package livekit

import (
	"context"
	"testing"
	"time"

	"kaigi/room"
	"kaigi/room/livekit/livekittest"
)

// waitEvent reads a session's events until one satisfies ok, or fails
// after 10 s.
func waitEvent(t *testing.T, s room.Session, what string, ok func(room.Event) bool) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev, open := <-s.Events():
			if !open {
				t.Fatalf("session ended waiting for %s", what)
			}
			if ok(ev) {
				return
			}
		case <-timeout:
			t.Fatalf("no %s", what)
		}
	}
}

// TestHandsAndReactions: a raised hand is an attribute (seen by someone
// who joins after it went up), a reaction a data packet.
func TestHandsAndReactions(t *testing.T) {
	srv := livekittest.Start(t, livekittest.Options{})
	ctx := context.Background()
	join := func(name string) room.Session {
		s, err := Dial(ctx, room.JoinOptions{Link: lkLink(srv.URL, livekittest.Token(t, "hands", name, name, time.Hour)), Name: name})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Leave() })
		return s
	}
	alice := join("alice")
	if err := alice.(room.Gestures).RaiseHand(true); err != nil {
		t.Fatal(err)
	}
	bob := join("bob")
	waitEvent(t, bob, "alice's hand, raised before bob came", func(ev room.Event) bool {
		e, ok := ev.(room.HandRaised)
		return ok && e.ParticipantID == "alice" && e.Raised
	})
	_ = alice.(room.Gestures).RaiseHand(false)
	waitEvent(t, bob, "alice's hand down", func(ev room.Event) bool {
		e, ok := ev.(room.HandRaised)
		return ok && e.ParticipantID == "alice" && !e.Raised
	})
	_ = alice.(room.Gestures).React("🎉")
	waitEvent(t, bob, "alice's reaction", func(ev room.Event) bool {
		e, ok := ev.(room.Reaction)
		return ok && e.ParticipantID == "alice" && e.Emoji == "🎉"
	})
	if _, ok := alice.(room.Moderation); ok {
		t.Error("a LiveKit participant offers host controls it cannot have")
	}
}
