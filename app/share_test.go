package app

import (
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"

	"kaigi/media/screen"
	"kaigi/media/screen/screentest"
	"kaigi/room"
)

// sharingSession is a session that takes shares and remembers them.
type sharingSession struct {
	room.Session
	mu      sync.Mutex
	started int
	stopped int
	current room.ShareMedia
}

func (s *sharingSession) StartShare(m room.ShareMedia) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.started++
	s.current = m
	return nil
}

func (s *sharingSession) StopShare() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.current == nil {
		return room.ErrNoShare
	}
	s.stopped++
	s.current = nil
	return nil
}

func (s *sharingSession) SetMuted(room.Kind, bool) error { return nil }
func (s *sharingSession) Leave() error                   { return nil }

func (s *sharingSession) counts() (int, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.started, s.stopped
}

// tipped finds the icon button whose tooltip is tip.
func tipped(a *App, tip string) *tipButton {
	var found *tipButton
	ui(func() {
		walk(a.win.Content(), func(o fyne.CanvasObject) {
			if b, ok := o.(*tipButton); ok && b.tip == tip {
				found = b
			}
		})
	})
	return found
}

// TestShareTakesStage: someone's share takes the stage (their camera in
// the strip), is asked for in full, can fill the window, and when it ends
// the layout is the one before, grid or speaker view with its pin.
func TestShareTakesStage(t *testing.T) {
	a := newTestApp(t, Options{})
	c := testCall(a)
	ui(func() {
		a.state.Call = c
		a.state.Screen = ScreenCall
		for _, id := range []string{"ann", "ben"} {
			a.onCallEvent(c, room.ParticipantJoined{Participant: room.Participant{ID: id, Name: id}})
		}
		a.win.Resize(fyne.NewSize(1000, 700))
		a.show()
	})
	for _, before := range []struct {
		speaker bool
		pinned  string
	}{{false, ""}, {true, "ben"}} {
		ui(func() {
			c.speaker, c.pinned = before.speaker, before.pinned
			a.show()
			a.onCallEvent(c, room.ShareStarted{ParticipantID: "ann", TrackID: "s1"})
		})
		waitFor(t, "ann's share on the stage", func() bool { return overlayText(a, "ann's screen") })
		want := on(c.m.Wanted)
		if want[room.ShareID("ann")] != room.QualityHigh || want["ann"] != room.QualityLow || want["ben"] != room.QualityLow {
			t.Errorf("with a share on stage the room is asked for %v", want)
		}
		full := tipped(a, "Full window")
		if full == nil {
			t.Fatal("no Full window button on the share")
		}
		ui(func() { full.OnTapped() })
		if on(func() bool { return !c.share.full || len(c.m.Wanted()) != 1 }) {
			t.Errorf("full window: %v, asks for %v", on(func() bool { return c.share.full }), on(c.m.Wanted))
		}
		ui(func() { a.onCallEvent(c, room.ShareEnded{ParticipantID: "ann", TrackID: "s1"}) })
		waitFor(t, "the share leaving the stage", func() bool { return !overlayText(a, "ann's screen") && !c.share.full })
		var speaker bool
		var pinned string
		var tiles int
		ui(func() { speaker, pinned, tiles, want = c.speaker, c.pinned, len(c.share.tiles), c.m.Wanted() })
		if speaker != before.speaker || pinned != before.pinned {
			t.Errorf("after the share: speaker view %v pinned %q, want %v %q", speaker, pinned, before.speaker, before.pinned)
		}
		if _, ok := want[room.ShareID("ann")]; ok || tiles != 0 {
			t.Errorf("the ended share is still asked for (%v) or kept (%d tiles)", want, tiles)
		}
	}
}

// overlayText says whether a canvas text on screen contains s (the name
// tags over videos are canvas texts).
func overlayText(a *App, s string) bool {
	seen := false
	ui(func() {
		walk(a.win.Content(), func(o fyne.CanvasObject) {
			if tx, ok := o.(*canvas.Text); ok && strings.Contains(tx.Text, s) {
				seen = true
			}
		})
	})
	return seen
}

// TestShareNeedsX11: on Wayland the picker does not open; a message says
// sharing needs an X11 session, in the user's language.
func TestShareNeedsX11(t *testing.T) {
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "wayland-0")
	t.Setenv("XDG_SESSION_TYPE", "wayland")
	a := newTestApp(t, Options{})
	c := testCall(a)
	ui(func() {
		c.session = &sharingSession{}
		a.state.Call = c
		a.state.Screen = ScreenCall
		a.show()
	})
	tap(button(a, "Share screen"))
	if !overlayShows(a, "needs an X11 session") {
		t.Error("no message that sharing needs X11")
	}
}

// TestShareBar: sharing the screen (under Xvfb) shows the bar; Stop ends
// the share; a shared window that closes ends it with a message.
func TestShareBar(t *testing.T) {
	screentest.Display(t, 800, 600, true)
	a := newTestApp(t, Options{})
	c := testCall(a)
	sess := &sharingSession{}
	ui(func() {
		c.session = sess
		a.state.Call = c
		a.state.Screen = ScreenCall
		a.show()
	})
	srcs, err := screen.List()
	if err != nil {
		t.Fatal(err)
	}
	ui(func() { a.startShare(c, srcs[0], a.sourceTitle(srcs[0], new(int))) })
	if started, _ := sess.counts(); started != 1 || on(func() bool { return c.share.local == nil }) {
		t.Fatal("the share did not start")
	}
	if !shows(a, "You are sharing: Entire screen") {
		t.Error("no sharing bar")
	}
	if b := button(a, "Stop sharing"); b == nil {
		t.Fatal("no Stop sharing button")
	} else {
		tap(b)
	}
	if _, stopped := sess.counts(); stopped != 1 || on(func() bool { return c.share.local != nil }) || shows(a, "You are sharing") {
		t.Error("Stop sharing did not stop")
	}

	// A window, shared, then closed.
	page, err := screentest.Render(400, 300)
	if err != nil {
		t.Fatal(err)
	}
	win := screentest.ShowWindow(t, page, "Shared notes")
	var src screen.Source
	waitFor(t, "the window listed", func() bool {
		srcs, _ := screen.List()
		for _, s := range srcs {
			if s.Title == "Shared notes" {
				src = s
				return true
			}
		}
		return false
	})
	ui(func() { a.startShare(c, src, src.Title) })
	if !shows(a, "You are sharing: Shared notes") {
		t.Error("no sharing bar for the window")
	}
	win.Process.Kill()
	win.Wait()
	waitWithin(t, 5*time.Second, "the share ending with the window", func() bool {
		_, stopped := sess.counts()
		return stopped == 2 && !shows(a, "You are sharing")
	})
	if !shows(a, "The shared window closed, so sharing stopped.") {
		t.Error("no message that the shared window closed")
	}
}
