package app

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"kaigi/media"
	"kaigi/room"
	"kaigi/room/galene"
	"kaigi/room/host"
	"kaigi/room/link"
)

// guest is a participant without media (the real Galène dialect) whose
// events a test reads.
type guest struct {
	room.Session
	events chan room.Event
}

func joinGuest(t *testing.T, l link.Link, name string) (*guest, error) {
	t.Helper()
	s, err := galene.Dial(context.Background(), room.JoinOptions{Link: l, Name: name})
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { s.Leave() })
	g := &guest{s, make(chan room.Event, 256)}
	go func() {
		for ev := range s.Events() {
			g.events <- ev
		}
		close(g.events)
	}()
	return g, nil
}

// await reads the guest's events until one satisfies ok (10 s at most).
func (g *guest) await(t *testing.T, what string, ok func(room.Event) bool) room.Event {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev, open := <-g.events:
			if !open {
				t.Fatalf("the guest's session ended waiting for %s", what)
			}
			if ok(ev) {
				return ev
			}
		case <-timeout:
			t.Fatalf("the guest never saw %s", what)
		}
	}
}

// menuItem is the action of the menu item labelled label.
func menuItem(items []*fyne.MenuItem, label string) func() {
	for _, it := range items {
		if it.Label == label {
			return it.Action
		}
	}
	return nil
}

// TestHostControlsPath: the host (New meeting, in Japanese) hears someone
// join and sees Ken raise his hand (a sound, a count, his hand first in
// the list), then mutes him, locks the meeting (a newcomer is told so),
// and removes him — each from the menus the host has, each reaching Ken.
func TestHostControlsPath(t *testing.T) {
	a, _ := hostingApp(t, "ja")
	invite := startHosting(t, a)
	l, _ := link.Parse(invite)
	c := callOf(a)
	waitFor(t, "the host's controls", func() bool { return c.m.Moderating() && button(a, a.tr.T("call.host")) != nil })
	time.Sleep(rosterSettle) // those who join now are announced

	ken, err := joinGuest(t, l, "Ken")
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "Ken's arrival, heard", func() bool { return slices.Contains(c.cues, media.CueJoin) })
	if _, ok := ken.Session.(room.Moderation); !ok {
		t.Fatal("no controls in the dialect")
	}
	ken.await(t, "the host as host", func(ev room.Event) bool { e, ok := ev.(room.Moderator); return ok && e.On })

	// Ken raises his hand: a sound, the count over the stage, first in
	// the list after ourselves, a mark on his tile.
	_ = ken.Session.(room.Gestures).RaiseHand(true)
	waitFor(t, "Ken's hand", func() bool { return slices.Contains(c.cues, media.CueHand) })
	waitFor(t, "the count of hands", func() bool { return shows(a, a.tr.N("call.hands_up", 1, map[string]any{"Names": "Ken"})) })
	var list []string
	ui(func() { list = c.m.ListIDs() })
	if len(list) != 2 || list[1] != ken.Self().ID {
		t.Errorf("people list order %v", list)
	}

	// Mute him from his row's menu.
	var mute func()
	ui(func() { mute = menuItem(a.personMenuItems(c, ken.Self().ID), a.tr.T("host.mute")) })
	if mute == nil {
		t.Fatal("no Mute for Ken")
	}
	ui(mute)
	ken.await(t, "being muted", func(ev room.Event) bool { _, ok := ev.(room.MutedByHost); return ok })
	waitFor(t, "Ken muted", func() bool { return c.m.Person(ken.Self().ID).AudioMuted })

	// Lock: the banner, and a newcomer hears it is locked.
	var lock func()
	ui(func() { lock = menuItem(a.hostMenuItems(c), a.tr.T("host.lock")) })
	ui(lock)
	waitFor(t, "the locked banner", func() bool { return shows(a, a.tr.T("call.locked_banner")) })
	if _, err := joinGuest(t, l, "Late"); !errors.Is(err, room.ErrLocked) {
		t.Errorf("joining the locked meeting: %v", err)
	}
	var unlock func()
	ui(func() { unlock = menuItem(a.hostMenuItems(c), a.tr.T("host.unlock")) })
	if unlock == nil {
		t.Error("no Unlock once locked")
	}

	// Remove him (confirmed in the dialog), once no notice shows.
	waitFor(t, "no notice", func() bool { return a.win.Canvas().Overlays().Top() == nil })
	var remove func()
	ui(func() { remove = menuItem(a.personMenuItems(c, ken.Self().ID), a.tr.T("host.remove")) })
	ui(remove)
	if !overlayShows(a, a.tr.T("host.remove")) {
		t.Fatal("removing asks nothing")
	}
	typeKey(a, fyne.KeyReturn)
	e := ken.await(t, "his removal", func(ev room.Event) bool { e, ok := ev.(room.StateEvent); return ok && e.State == room.Failed })
	if !errors.Is(e.(room.StateEvent).Err, room.ErrKicked) {
		t.Errorf("Ken's call ended with %v", e.(room.StateEvent).Err)
	}
	waitFor(t, "Ken gone", func() bool { return c.m.Len() == 1 })
}

// TestGuestSeesHostControls: in a meeting someone else hosts, the app
// (Traditional Chinese) shows the host's raised hand on the tile, the
// reaction over it, and the notice that the host muted us; and a locked
// meeting refuses it with its own sentence. No host menu is offered.
func TestGuestSeesHostControls(t *testing.T) {
	h, err := host.New(host.Config{Listen: "127.0.0.1:0", Insecure: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	_ = h.CreateGroup("g")
	go h.Serve(context.Background())
	invite, _ := h.InviteLink("g")
	l, _ := link.Parse(invite)
	hostLink := l
	hostLink.Token = h.HostToken("g")
	boss, err := joinGuest(t, hostLink, "Boss")
	if err != nil {
		t.Fatal(err)
	}

	a := newTestApp(t, Options{Lang: "zh_TW", FakeMedia: true, Join: galeneJoin})
	ui(func() { a.state.Name = "Aiko"; a.openLobby(l) })
	tap(button(a, a.tr.T("lobby.join")))
	waitFor(t, "the call", func() bool { return a.state.Call != nil && a.state.Call.m.Len() == 2 })
	c := callOf(a)
	if button(a, a.tr.T("call.host")) != nil {
		t.Error("a guest is offered the host's menu")
	}
	_ = boss.Session.(room.Gestures).RaiseHand(true)
	_ = boss.Session.(room.Gestures).React("👏")
	waitFor(t, "the boss's hand and reaction", func() bool {
		p := c.m.Person(boss.Self().ID)
		return p != nil && p.Hand && c.m.Reacting(boss.Self().ID) == "👏"
	})
	if on(func() bool { return slices.Contains(c.cues, media.CueHand) }) {
		t.Error("a guest hears hands")
	}
	var me string
	ui(func() { me = c.selfID })
	boss.await(t, "us", func(ev room.Event) bool { e, ok := ev.(room.ParticipantJoined); return ok && e.Participant.ID == me })

	// React → Raise hand: the host sees it; the bar's button lowers it.
	tap(button(a, a.tr.T("call.react")))
	var raise *widget.Button
	ui(func() {
		if top := a.win.Canvas().Overlays().Top(); top != nil {
			walk(top, func(o fyne.CanvasObject) {
				if b, ok := o.(*widget.Button); ok && b.Text == a.tr.T("call.raise_hand") {
					raise = b
				}
			})
		}
	})
	if raise == nil {
		t.Fatal("React offers no Raise hand")
	}
	tap(raise)
	boss.await(t, "our hand", func(ev room.Event) bool {
		e, ok := ev.(room.HandRaised)
		return ok && e.ParticipantID == me && e.Raised
	})
	waitFor(t, "Lower hand", func() bool { return button(a, a.tr.T("call.lower_hand")) != nil })
	tap(button(a, a.tr.T("call.lower_hand")))
	boss.await(t, "our hand down", func(ev room.Event) bool {
		e, ok := ev.(room.HandRaised)
		return ok && e.ParticipantID == me && !e.Raised
	})
	_ = boss.Session.(room.Moderation).MuteParticipant(me)
	waitFor(t, "the notice", func() bool { return shows(a, a.tr.Tf("call.muted_by_host", map[string]any{"Name": "Boss"})) })
	ui(func() {
		if !c.micOff || button(a, a.tr.T("call.unmute")) == nil {
			t.Error("muted by the host, but the microphone button says otherwise")
		}
	})

	// Locked before we come back: the sentence says so, in our language.
	ui(func() { a.leaveCall(c) })
	_ = boss.Session.(room.Moderation).Lock(true)
	boss.await(t, "the lock", func(ev room.Event) bool { e, ok := ev.(room.Locked); return ok && e.Locked })
	ui(func() { a.openLobby(l) })
	tap(button(a, a.tr.T("lobby.join")))
	waitFor(t, "the locked meeting's sentence", func() bool { return shows(a, a.tr.T("err.locked")) })
}

// TestSoundsCanBeTurnedOff: each sound has its switch in Settings, and a
// sound switched off is not played.
func TestSoundsCanBeTurnedOff(t *testing.T) {
	a := newTestApp(t, Options{})
	ui(a.openSettings)
	checks := map[string]bool{}
	ui(func() {
		walk(a.win.Content(), func(o fyne.CanvasObject) {
			if ch, ok := o.(*widget.Check); ok {
				checks[ch.Text] = ch.Checked
			}
		})
	})
	for _, s := range cuePrefs {
		if on, ok := checks[a.tr.T(s.key)]; !ok || !on {
			t.Errorf("Settings has no switch (on) for %s: %v", s.key, checks)
		}
	}
	c := &callState{}
	var played []media.Cue
	ui(func() {
		a.cue(c, media.CueChat)
		a.prefs.p.SetBool(prefSoundChat, false)
		a.cue(c, media.CueChat)
		a.cue(c, media.CueJoin)
		played = slices.Clone(c.cues)
	})
	if !slices.Equal(played, []media.Cue{media.CueChat, media.CueJoin}) {
		t.Errorf("cues played: %v", played)
	}
}

// TestReactionIcons: every reaction Kaigi sends has its drawing.
func TestReactionIcons(t *testing.T) {
	for _, e := range room.Reactions {
		if reactionIcons[e] == nil {
			t.Errorf("no icon for %q", e)
		}
	}
}
