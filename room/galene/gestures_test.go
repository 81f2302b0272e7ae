package galene_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.uber.org/goleak"

	"kaigi/room"
	"kaigi/room/link"
)

// watcher keeps a session's events so a test can wait for one.
type watcher struct {
	t  *testing.T
	ch chan room.Event
}

func watch(t *testing.T, s room.Session) *watcher {
	w := &watcher{t, make(chan room.Event, 256)}
	go func() {
		for ev := range s.Events() {
			w.ch <- ev
		}
		close(w.ch)
	}()
	return w
}

// waitFor reads events until one satisfies ok, or fails after 5 s.
func (w *watcher) waitFor(what string, ok func(room.Event) bool) room.Event {
	w.t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case ev, open := <-w.ch:
			if !open {
				w.t.Fatalf("session ended waiting for %s", what)
			}
			if ok(ev) {
				return ev
			}
		case <-timeout:
			w.t.Fatalf("no %s", what)
		}
	}
}

// none says that no event satisfying bad arrives within d.
func (w *watcher) none(d time.Duration, bad func(room.Event) bool) bool {
	timeout := time.After(d)
	for {
		select {
		case ev, open := <-w.ch:
			if !open {
				return true
			}
			if bad(ev) {
				return false
			}
		case <-timeout:
			return true
		}
	}
}

// TestHandsReactionsAndControls: Kaigi's client and host end to end — a
// raised hand, a reaction, a member's refused attempt at the host's
// controls, and the host muting, locking and removing.
func TestHandsReactionsAndControls(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	h, invite := startHost(t, "controls")
	l, _ := link.Parse(invite)
	hostLink := l
	hostLink.Token = h.HostToken("controls")
	ctx := context.Background()

	hs, err := dial()(ctx, room.JoinOptions{Link: hostLink, Name: "Host"})
	if err != nil {
		t.Fatal(err)
	}
	defer hs.Leave()
	hw := watch(t, hs)
	hw.waitFor("the host's own moderator event", func(ev room.Event) bool {
		e, ok := ev.(room.Moderator)
		return ok && e.ParticipantID == hs.Self().ID && e.On
	})
	as, err := dial()(ctx, room.JoinOptions{Link: l, Name: "Alice"})
	if err != nil {
		t.Fatal(err)
	}
	defer as.Leave()
	aw := watch(t, as)
	aw.waitFor("alice seeing the host as moderator", func(ev room.Event) bool {
		e, ok := ev.(room.Moderator)
		return ok && e.ParticipantID == hs.Self().ID && e.On
	})
	alice := as.Self().ID

	// A hand and a reaction reach the host.
	if err := as.(room.Gestures).RaiseHand(true); err != nil {
		t.Fatal(err)
	}
	hw.waitFor("alice's hand", func(ev room.Event) bool {
		e, ok := ev.(room.HandRaised)
		return ok && e.ParticipantID == alice && e.Raised
	})
	_ = as.(room.Gestures).RaiseHand(false)
	hw.waitFor("alice's hand down", func(ev room.Event) bool {
		e, ok := ev.(room.HandRaised)
		return ok && e.ParticipantID == alice && !e.Raised
	})
	_ = as.(room.Gestures).React("👏")
	hw.waitFor("alice's reaction", func(ev room.Event) bool {
		e, ok := ev.(room.Reaction)
		return ok && e.ParticipantID == alice && e.Emoji == "👏"
	})

	// Alice tries the host's controls: refused, nobody is muted.
	_ = as.(room.Moderation).MuteParticipant(hs.Self().ID)
	_ = as.(room.Moderation).Lock(true)
	aw.waitFor("a refusal", func(ev room.Event) bool { e, ok := ev.(room.Notice); return ok && e.Level == "error" })
	if !hw.none(300*time.Millisecond, func(ev room.Event) bool {
		_, muted := ev.(room.MutedByHost)
		_, locked := ev.(room.Locked)
		return muted || locked
	}) {
		t.Error("a member muted the host or locked the meeting")
	}

	// The host mutes Alice: she is told, and the host sees her muted.
	if err := hs.(room.Moderation).MuteParticipant(alice); err != nil {
		t.Fatal(err)
	}
	if e := aw.waitFor("being muted", func(ev room.Event) bool { _, ok := ev.(room.MutedByHost); return ok }).(room.MutedByHost); e.By != "Host" {
		t.Errorf("muted by %q", e.By)
	}
	hw.waitFor("alice muted", func(ev room.Event) bool {
		e, ok := ev.(room.TrackMuted)
		return ok && e.ParticipantID == alice && e.Kind == room.Audio && e.Muted
	})

	// Locked: Alice hears it, a newcomer is told it is locked.
	_ = hs.(room.Moderation).Lock(true)
	aw.waitFor("locked", func(ev room.Event) bool { e, ok := ev.(room.Locked); return ok && e.Locked })
	if _, err := dial()(ctx, room.JoinOptions{Link: l, Name: "Carol"}); !errors.Is(err, room.ErrLocked) {
		t.Errorf("joining a locked meeting: %v", err)
	}

	// Removed: Alice's session ends with the reason.
	_ = hs.(room.Moderation).RemoveParticipant(alice)
	e := aw.waitFor("removal", func(ev room.Event) bool { e, ok := ev.(room.StateEvent); return ok && e.State == room.Failed }).(room.StateEvent)
	if !errors.Is(e.Err, room.ErrKicked) {
		t.Errorf("removed with %v", e.Err)
	}
	hw.waitFor("alice gone", func(ev room.Event) bool { e, ok := ev.(room.ParticipantLeft); return ok && e.ID == alice })
}
