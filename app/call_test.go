package app

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"kaigi/headless"
	"kaigi/i18n"
	"kaigi/internal/race"
	"kaigi/room"
	"kaigi/room/call"
	"kaigi/room/galene"
	"kaigi/room/host"
	"kaigi/room/link"
)

// waitFor polls cond (on the UI goroutine, where the app changes its
// state) for up to 10 s.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	waitWithin(t, 10*time.Second, what, cond)
}

// waitWithin is waitFor with another bound.
func waitWithin(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		ok := false
		fyne.DoAndWait(func() { ok = cond() })
		if ok {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// joinHosted starts our host on loopback (closed when the test ends) and
// an app that joins its group through the lobby, with the real Galène
// dialect and synthetic media, as "Aiko".
func joinHosted(t *testing.T, group string) (*App, link.Link) {
	t.Helper()
	h, err := host.New(host.Config{Listen: "127.0.0.1:0", Insecure: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	if err := h.CreateGroup(group); err != nil {
		t.Fatal(err)
	}
	go h.Serve(context.Background())
	invite, _ := h.InviteLink(group)
	l, _ := link.Parse(invite)
	a := newTestApp(t, Options{FakeMedia: true, Join: func(ctx context.Context, o room.JoinOptions) (room.Session, error) {
		return galene.Dial(ctx, o)
	}})
	ui(func() { a.state.Name = "Aiko"; a.openLobby(l) })
	tap(button(a, "Join now"))
	waitFor(t, "the call screen", func() bool { return a.state.Screen == ScreenCall })
	return a, l
}

// TestCallScreen joins a real meeting (our host on loopback, the real
// Galène dialect, synthetic media) with a headless participant in it, and
// drives the call screen.
func TestCallScreen(t *testing.T) {
	a, l := joinHosted(t, "call")

	bot := make(chan headless.Result, 1)
	go func() {
		// The bot stays while the test acts: longer at the race
		// detector's speed.
		stay := 6 * time.Second
		if race.Enabled {
			stay = 20 * time.Second
		}
		r, _ := headless.Run(context.Background(), headless.Options{Link: l, Name: "Bot", Duration: stay,
			Chat: "こんにちは", Dial: galene.Dial})
		bot <- r
	}()
	c := callOf(a)
	waitFor(t, "the bot's tile", func() bool { return len(c.people) == 2 })
	waitFor(t, "the bot's chat", func() bool { return c.m.Unread == 1 })
	if !shows(a, "2 participants") {
		t.Error("participant count not shown")
	}

	// Microphone and camera buttons change state both ways.
	tap(button(a, "Mute"))
	if !on(func() bool { return c.micOff }) || button(a, "Unmute") == nil {
		t.Error("mute did not mute")
	}
	// Push to talk: Space held while muted unmutes until it is let go (the
	// key handlers are the real window's; Fyne's test canvas has none).
	ui(func() { a.pushToTalk(c, true); a.pushToTalk(c, true) })
	if on(func() bool { return c.micOff }) || button(a, "Mute") == nil {
		t.Error("holding Space did not unmute")
	}
	ui(func() { a.pushToTalk(c, false) })
	if !on(func() bool { return c.micOff }) || button(a, "Unmute") == nil {
		t.Error("letting Space go did not mute again")
	}
	ui(func() { a.pushToTalk(c, false) })
	if on(func() bool { return !c.micOff }) {
		t.Error("a stray key-up unmuted")
	}
	tap(button(a, "Stop video"))
	if !on(func() bool { return c.camOff }) || button(a, "Start video") == nil {
		t.Error("stop video did not stop")
	}

	// Chat: open the panel, type, send with Enter.
	tap(button(a, "Chat (1)"))
	ui(func() {
		test.Type(c.chatEntry, "hello bot")
		c.chatEntry.TypedKey(&fyneKeyEnter)
	})
	waitFor(t, "our chat echoed", func() bool { return len(c.chatList.Objects) >= 2 })

	// A language switch keeps the call: people, chat, typed text.
	ui(func() {
		test.Type(c.chatEntry, "下書き")
		a.SetLang(i18n.Japanese)
	})
	if !on(func() bool { return a.state.Call == c && len(c.people) == 2 && c.chatEntry.Text == "下書き" }) || button(a, "ミュート解除") == nil {
		t.Error("the language switch lost call state")
	}
	ui(func() { a.SetLang(i18n.English) })

	// Bot leaves; its tile goes.
	r := <-bot
	waitFor(t, "the bot leaving", func() bool { return len(c.people) == 1 })
	if r.State != "left" || len(r.Chat) == 0 || r.Chat[0].Text != "hello bot" {
		t.Errorf("bot saw %+v", r)
	}
	ui(func() { a.leaveCall(c) })
	if screenOf(a) != ScreenHome {
		t.Error("leaving did not go home")
	}
}

// TestPages: more than 16 people page the grid.
func TestPages(t *testing.T) {
	// The screen is rebuilt a moment after a crowd arrives (showSoon).
	a, c := pagedCall(t)
	// Only the page's people are asked for, small (four columns).
	wanted := func() map[string]room.Quality { return on(c.m.Wanted) }
	if w := wanted(); len(w) != 15 || w["0"] != room.QualityLow || w["15"] != room.QualityOff {
		t.Errorf("page 1 asks for %v", w)
	}
	tap(button(a, "Next"))
	if on(func() int { return c.page }) != 1 || !shows(a, "Page 2 of 2") {
		t.Error("next page did not turn")
	}
	if w := wanted(); len(w) != 5 || w["15"] != room.QualityLow || w["0"] != room.QualityOff {
		t.Errorf("page 2 asks for %v", w)
	}
	tap(button(a, "Previous"))
	if on(func() int { return c.page }) != 0 {
		t.Error("previous page did not turn")
	}
	// Speaker view: the one pinned large, the strip's tiles in view small,
	// those scrolled out of view not at all.
	var strip *container.Scroll
	ui(func() {
		a.win.Resize(fyne.NewSize(1000, 700))
		c.speaker, c.pinned = true, "3"
		a.show()
		walk(a.win.Content(), func(o fyne.CanvasObject) {
			if s, ok := o.(*container.Scroll); ok && s.Direction == container.ScrollHorizontalOnly {
				strip = s
			}
		})
	})
	if w := wanted(); w["3"] != room.QualityHigh || w["4"] != room.QualityLow || w["19"] != room.QualityOff {
		t.Errorf("speaker view asks for %v", w)
	}
	if strip == nil {
		t.Fatal("no strip in speaker view")
	}
	ui(func() { strip.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.NewDelta(-10000, -10000)}) })
	if w := wanted(); w["19"] != room.QualityLow || w["0"] != room.QualityOff || w["3"] != room.QualityHigh {
		t.Errorf("scrolled to the strip's end, speaker view asks for %v", w)
	}
}

// TestOffPageVideoNotReceived pages a real meeting (our host, the Galène
// dialect, two synthetic participants) two tiles to a page: the video of
// the person on the other page must not arrive until that page is shown.
func TestOffPageVideoNotReceived(t *testing.T) {
	defer func(n int) { pageSize = n }(pageSize)
	pageSize = 2
	a, l := joinHosted(t, "paged")
	ctx, cancel := context.WithCancel(context.Background())
	var bots sync.WaitGroup
	defer bots.Wait()
	defer cancel()
	for _, name := range []string{"Ann", "Ben"} {
		bots.Add(1)
		go func() {
			defer bots.Done()
			headless.Run(ctx, headless.Options{Link: l, Name: name, Duration: 30 * time.Second, SendOnly: true, Dial: galene.Dial})
		}()
	}
	c := callOf(a)
	defer ui(func() { a.leaveCall(c) })
	waitFor(t, "both guests", func() bool { return len(c.people) == 3 })
	frames := func(id string) int {
		for _, s := range c.remote.Stats() {
			if s.ParticipantID == id {
				return s.VideoFrames
			}
		}
		return 0
	}
	// Tiles move forward as videos arrive: once page 1's has, the order
	// holds (page 2's is not received).
	waitFor(t, "a video on page 1", func() bool { return c.m.Person(c.m.IDs()[1]).HasVideo })
	var onPage, offPage string
	ui(func() { onPage, offPage = c.m.IDs()[1], c.m.IDs()[2] })
	waitFor(t, "video on page 1", func() bool { return frames(onPage) > race.AtLeast(30) })
	before := frames(offPage)
	time.Sleep(2 * time.Second)
	if got := frames(offPage) - before; got > 2 {
		t.Errorf("%d frames arrived from the person on page 2", got)
	}
	tap(button(a, "Next"))
	before = frames(offPage)
	waitFor(t, "video on page 2", func() bool { return frames(offPage) > before+race.AtLeast(30) })
	was := frames(onPage)
	time.Sleep(2 * time.Second)
	if got := frames(onPage) - was; got > 2 {
		t.Errorf("%d frames arrived from the person now on page 1", got)
	}
}

var fyneKeyEnter = fyne.KeyEvent{Name: fyne.KeyReturn}

// TestTooltips: resting the pointer on the microphone, camera, view and
// leave buttons shows their shortcut; moving away hides it.
func TestTooltips(t *testing.T) {
	a := newTestApp(t, Options{})
	c := testCall(a)
	var cv fyne.Canvas
	ui(func() {
		a.win.Resize(fyne.NewSize(1100, 700)) // wide enough for the words of every button
		a.win.Show()
		a.state.Call = c
		a.goTo(ScreenCall)
		cv = a.win.Canvas()
	})
	// Without devices (this test has none) the greyed buttons say why.
	for _, tc := range []struct{ button, tip string }{
		{"Unmute", "No microphone: the others cannot hear you. Connect one and choose it in Devices."},
		{"Start video", "No camera: the others see your initials. Connect one and choose it in Devices."},
		{"Speaker view", "Show the speaker large, the others in a row (Ctrl+Shift+V)"},
		{"Leave", "Leave the meeting (Ctrl+Shift+L)"}} {
		var b *tipButton
		ui(func() {
			walk(a.win.Content(), func(o fyne.CanvasObject) {
				if tb, ok := o.(*tipButton); ok && tb.Text == tc.button {
					b = tb
				}
			})
		})
		if b == nil {
			t.Fatalf("no %s button with a tooltip", tc.button)
		}
		ui(func() {
			pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b)
			test.MoveMouse(cv, pos.Add(fyne.NewPos(5, 5)))
		})
		waitFor(t, "the tooltip of "+tc.button, func() bool {
			shown := ""
			fyne.DoAndWait(func() {
				if top := cv.Overlays().Top(); top != nil {
					walk(top, func(o fyne.CanvasObject) {
						if l, ok := o.(*widget.Label); ok {
							shown = l.Text
						}
					})
				}
			})
			return shown == tc.tip
		})
		ui(func() { test.MoveMouse(cv, fyne.NewPos(1, 1)) })
		if on(func() bool { return cv.Overlays().Top() != nil }) {
			t.Errorf("the tooltip of %s stays after the pointer left", tc.button)
		}
	}
}

// chatOpenCall is a call screen with only ourselves in it and its chat
// open.
func chatOpenCall(t *testing.T) (*App, *callState) {
	a := newTestApp(t, Options{})
	c := testCall(a)
	ui(func() {
		c.chatEntry, c.chatList = newTextEntry(), container.NewVBox() // as enterCall makes them
		a.state.Call, a.state.Screen = c, ScreenCall
		a.show()
		a.toggleChat(c)
	})
	return a, c
}

// testCall is a call with only ourselves ("Me") in it and no session, for
// tests that feed it events by hand.
func testCall(a *App) *callState {
	c := &callState{selfID: "me", m: call.New(room.Participant{ID: "me", Name: "Me"}), people: map[string]*person{}, done: make(chan struct{})}
	ui(func() { a.syncPeople(c) })
	return c
}

// TestPeopleList: 300 people are a list that builds rows only for what is
// in view, and the search narrows it (Japanese names too).
func TestPeopleList(t *testing.T) {
	a, c := crowdedCall(t, fyne.NewSize(1000, 700), 299, "P %d")
	ui(func() {
		a.onCallEvent(c, room.ParticipantJoined{Participant: room.Participant{ID: "y", Name: "佐藤ゆき"}})
	})
	waitFor(t, "the call screen", func() bool { return shows(a, "301 participants") })
	tap(button(a, "People"))
	var list *widget.List
	var search *textEntry
	ui(func() {
		walk(a.win.Content(), func(o fyne.CanvasObject) {
			switch w := o.(type) {
			case *widget.List:
				list = w
			case *textEntry:
				if w.PlaceHolder == "Find someone" {
					search = w
				}
			}
		})
	})
	if list == nil || search == nil {
		t.Fatal("no people list with a search box")
	}
	if n := on(list.Length); n != 301 {
		t.Errorf("the list has %d rows, want 301", n)
	}
	rows := 0
	ui(func() {
		walk(list, func(o fyne.CanvasObject) {
			if l, ok := o.(*widget.Label); ok && l.Text != "" {
				rows++
			}
		})
	})
	if rows == 0 || rows > 60 {
		t.Errorf("%d rows built for 301 people (only those in view should be)", rows)
	}
	ui(func() { test.Type(search, "P 29") })
	if n := on(list.Length); n != 10 { // P 29 and P 290 to P 298
		t.Errorf("search 'P 29' finds %d", n)
	}
	ui(func() { search.SetText("ゆき") })
	if n := on(list.Length); n != 1 {
		t.Errorf("search 'ゆき' finds %d", n)
	}
}

// TestPageKeys: Page Down and Page Up turn the grid's pages, as in other
// meeting apps' galleries; Page Up on the first page stays there.
func TestPageKeys(t *testing.T) {
	a, _ := pagedCall(t)
	time.Sleep(2 * rebuildEvery) // no rebuild pending
	screens := on(func() int { return a.screens })
	key := func(k fyne.KeyName) { ui(func() { a.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: k}) }) }
	key(fyne.KeyPageDown)
	waitFor(t, "page 2 after Page Down", func() bool { return shows(a, "Page 2 of 2") })
	// Turning a page builds the stage, not the screen.
	if n := on(func() int { return a.screens }); n != screens {
		t.Errorf("a page turn rebuilt the screen %d times", n-screens)
	}
	if n := on(func() int { return a.stages }); n == 0 {
		t.Error("a page turn did not build the stage")
	}
	key(fyne.KeyPageDown) // past the last page: stays on it
	waitFor(t, "still page 2", func() bool { return shows(a, "Page 2 of 2") })
	key(fyne.KeyPageUp)
	waitFor(t, "page 1 after Page Up", func() bool { return shows(a, "Page 1 of 2") })
	key(fyne.KeyPageUp)
	waitFor(t, "still page 1", func() bool { return shows(a, "Page 1 of 2") })
}

// TestSpeakerViewStrip: in a meeting of 300, Ctrl+Shift+V turns to
// speaker view, whose strip builds tiles only for the few people scrolled
// into view (it once built 299, and Fyne painted them all at every frame).
// Scrolled along, the strip builds the tiles come into view and drops
// those gone; a new speaker keeps it where it was scrolled; the shortcut
// turns back to the grid.
func TestSpeakerViewStrip(t *testing.T) {
	a, c := crowdedCall(t, fyne.NewSize(1000, 700), 299, "P %d")
	waitFor(t, "the grid", func() bool { return shows(a, "300 participants") && shows(a, "Page 1 of") })
	ui(func() { a.bindShortcuts(c) })
	typeShortcut(a, viewShortcut)
	waitFor(t, "speaker view", func() bool { return shows(a, "Grid view") })
	// The names on tiles in the strip, and the strip.
	strip := func() (*container.Scroll, map[string]bool) {
		var s *container.Scroll
		names := map[string]bool{}
		ui(func() {
			walk(a.win.Content(), func(o fyne.CanvasObject) {
				if sc, ok := o.(*container.Scroll); ok && sc.Direction == container.ScrollHorizontalOnly {
					s = sc
				}
			})
			if s != nil {
				walk(s.Content, func(o fyne.CanvasObject) {
					if t, ok := o.(*canvas.Text); ok && strings.HasPrefix(t.Text, " P ") {
						names[strings.TrimSpace(t.Text)] = true
					}
				})
			}
		})
		return s, names
	}
	s, names := strip()
	if s == nil {
		t.Fatal("no strip in speaker view")
	}
	// 1000 px hold five tiles of 200 and a bit of a sixth.
	if len(names) < 4 || len(names) > 6 || !names["P 1"] || names["P 298"] {
		t.Errorf("the strip has tiles for %s, want those in view: P 1 to P 5 or so", tileNames(names))
	}
	if w := on(c.m.Wanted); len(w) > 7 || w["0"] != room.QualityHigh || w["1"] != room.QualityLow {
		t.Errorf("speaker view asks for %v", w)
	}
	ui(func() { s.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.NewDelta(-100000, 0)}) })
	if _, names = strip(); len(names) > 6 || !names["P 298"] || names["P 1"] {
		t.Errorf("scrolled to the end, the strip has tiles for %s", tileNames(names))
	}
	if w := on(c.m.Wanted); len(w) > 7 || w["298"] != room.QualityLow || w["1"] == room.QualityLow {
		t.Errorf("scrolled to the end, speaker view asks for %v", w)
	}
	// Someone else speaks: the stage is built again, scrolled as it was.
	ui(func() { c.dominant.Update("7", time.Now()); a.restage(c) })
	if _, names = strip(); !names["P 298"] || names["P 1"] {
		t.Errorf("after a new speaker, the strip has tiles for %s", tileNames(names))
	}
	typeShortcut(a, viewShortcut)
	waitFor(t, "the grid again", func() bool { return shows(a, "Speaker view") && shows(a, "Page 1 of") })
}

// tileNames says briefly whose tiles a set holds.
func tileNames(names map[string]bool) string {
	if len(names) > 8 {
		return fmt.Sprintf("%d people", len(names))
	}
	return fmt.Sprint(names)
}

// TestCrowdOnOtherPages: people joining and leaving on pages not shown
// change the count and the pager in place; the screen is not rebuilt (in
// a large meeting ten a second come and go). Someone landing on the page
// shown rebuilds it.
func TestCrowdOnOtherPages(t *testing.T) {
	a, c := pagedCall(t)
	join := func(id string) {
		a.onCallEvent(c, room.ParticipantJoined{Participant: room.Participant{ID: id, Name: "P " + id}})
	}
	time.Sleep(2 * rebuildEvery) // no rebuild pending
	var before int
	ui(func() { before = a.screens })
	ui(func() {
		for i := 20; i < 120; i++ {
			join(fmt.Sprint(i))
		}
		for i := 20; i < 40; i++ {
			a.onCallEvent(c, room.ParticipantLeft{ID: fmt.Sprint(i)})
		}
	})
	time.Sleep(2 * rebuildEvery)
	var after int
	ui(func() { after = a.screens })
	if after != before {
		t.Errorf("120 comings and goings on other pages rebuilt the screen %d times", after-before)
	}
	if !shows(a, "Page 1 of 7") || !shows(a, "101 participants") {
		t.Error("the count and the pager did not follow")
	}
	// Someone on page 1 leaves: the page is built again, not the screen.
	ui(func() { a.onCallEvent(c, room.ParticipantLeft{ID: "5"}) })
	waitFor(t, "page 1 without P 5", func() bool { return !shows(a, "P 5") && shows(a, "100 participants") })
	if n := on(func() int { return a.screens }); n != before {
		t.Errorf("someone leaving page 1 rebuilt the screen %d times", n-before)
	}
	after = on(func() int { return a.screens })
	// Someone with video moves to page 1: that page changes, and is built.
	ui(func() {
		a.onCallEvent(c, room.TrackAdded{ParticipantID: "100", Kind: room.Video})
	})
	waitFor(t, "a rebuild for page 1", func() bool {
		var n int
		ui(func() { n = a.screens })
		return n > after
	})
}

// crowdedCall is a call screen in a window of size with n people besides
// ourselves, named by format from their number.
func crowdedCall(tb testing.TB, size fyne.Size, n int, format string) (*App, *callState) {
	a := newTestApp(tb, Options{})
	c := testCall(a)
	ui(func() {
		a.win.Resize(size)
		a.state.Call, a.state.Screen = c, ScreenCall
		for i := 0; i < n; i++ {
			a.onCallEvent(c, room.ParticipantJoined{Participant: room.Participant{ID: fmt.Sprint(i), Name: fmt.Sprintf(format, i)}})
		}
	})
	return a, c
}

// pagedCall is a call screen with 21 people: two pages of the grid.
func pagedCall(t *testing.T) (*App, *callState) {
	t.Helper()
	a := newTestApp(t, Options{})
	c := testCall(a)
	ui(func() {
		a.state.Call = c
		a.state.Screen = ScreenCall
		for i := 0; i < 20; i++ {
			a.onCallEvent(c, room.ParticipantJoined{Participant: room.Participant{ID: fmt.Sprint(i), Name: fmt.Sprintf("P %d", i)}})
		}
	})
	waitFor(t, "a pager for 21 people", func() bool { return shows(a, "Page 1 of 2") })
	return a, c
}

// TestChatKeepsFocus: typing in the chat while someone joins (the screen
// is rebuilt) goes on in the chat's box; it lost the keyboard once, and
// the next keys went nowhere.
func TestChatKeepsFocus(t *testing.T) {
	a, c := chatOpenCall(t)
	focused := func() bool { return on(func() bool { return a.win.Canvas().Focused() == fyne.Focusable(c.chatEntry) }) }
	if !focused() {
		t.Fatal("opening the chat did not focus its box")
	}
	screens := on(func() int { return a.screens })
	ui(func() {
		a.onCallEvent(c, room.ParticipantJoined{Participant: room.Participant{ID: "ken", Name: "Ken"}})
	})
	waitFor(t, "a rebuild for Ken", func() bool { return on(func() int { return a.screens }) > screens })
	if !focused() {
		t.Fatal("the chat's box lost the keyboard when Ken joined")
	}
	ui(func() { a.win.Canvas().Focused().TypedRune('h') })
	if got := on(func() string { return c.chatEntry.Text }); got != "h" {
		t.Errorf("typed into the chat: %q", got)
	}
}

// TestCrowdInOneBatch: a crowd's comings and goings handed over as one
// batch (as uirun.go does) end where the same events one by one would:
// every tile there, none of who left (someone who came and went within
// the batch included), the count and pager right, the screen not rebuilt.
func TestCrowdInOneBatch(t *testing.T) {
	a, c := pagedCall(t)
	time.Sleep(2 * rebuildEvery) // no rebuild pending
	before := on(func() int { return a.screens })
	var batch []room.Event
	for i := 20; i < 120; i++ {
		batch = append(batch, room.ParticipantJoined{Participant: room.Participant{ID: fmt.Sprint(i), Name: "P " + fmt.Sprint(i)}})
	}
	for i := 20; i < 40; i++ {
		batch = append(batch, room.ParticipantLeft{ID: fmt.Sprint(i)})
	}
	batch = append(batch, room.ParticipantJoined{Participant: room.Participant{ID: "brief", Name: "Brief"}},
		room.ParticipantLeft{ID: "brief"})
	ui(func() { a.onCallEvents(c, batch) })
	time.Sleep(2 * rebuildEvery)
	if n := on(func() int { return a.screens }); n != before {
		t.Errorf("a batch of comings and goings on other pages rebuilt the screen %d times", n-before)
	}
	if !shows(a, "Page 1 of 7") || !shows(a, "101 participants") {
		t.Error("the count and the pager did not follow the batch")
	}
	ui(func() {
		if len(c.people) != c.m.Len() || c.people["brief"] != nil || c.people["25"] != nil || c.people["100"] == nil {
			t.Errorf("after the batch: %d tiles for %d people; brief %v, 25 %v, 100 %v", len(c.people), c.m.Len(),
				c.people["brief"] != nil, c.people["25"] != nil, c.people["100"] != nil)
		}
	})
	// A batch with a change on page 1 rebuilds it.
	ui(func() {
		a.onCallEvents(c, []room.Event{room.ParticipantLeft{ID: "5"}, room.ParticipantJoined{Participant: room.Participant{ID: "late", Name: "Late"}}})
	})
	waitFor(t, "page 1 without P 5", func() bool { return !shows(a, "P 5") && shows(a, "101 participants") })
}
