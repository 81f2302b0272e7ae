// A call in progress: its lifecycle, the room's events applied to the model
// (room/call), and the tiles kept in step with it.

package app

import (
	"maps"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaigi/media"
	"kaigi/room"
	"kaigi/room/call"
	"kaigi/room/link"
)

// pageSize is how many tiles one page of the grid shows (a variable so
// that a test can page a small meeting).
var pageSize = 16

// speakingLevel is the audio level above which someone counts as speaking.
const speakingLevel = 0.02

// callState is a meeting in progress: the session, our media, and what the
// call screen shows. Tiles, the chat list and the chat entry live here, so
// rebuilding the screen (a language switch, someone joining) keeps video
// playing and typed text.
type callState struct {
	session room.Session
	local   *media.Local
	remote  *media.Remote
	link    link.Link
	hosted  bool
	selfID  string

	// m is the meeting as the room's events tell it (no widgets in it);
	// people are their tiles on screen, one for each person in m.
	m           *call.Model
	people      map[string]*person
	entered     time.Time // when the call screen opened
	micOff      bool
	pushing     bool              // Space held: unmuted until it is let go
	camDown     bool              // our camera stopped mid-call (see checkDevices)
	micDown     bool              // our microphone stopped mid-call
	netPaused   bool              // our video paused: the network is too slow for it
	undecodable map[string]string // who sends what Kaigi cannot decode, and what
	camOff      bool
	peopleOn    bool
	peopleQuery string  // the people list's search
	speaker     bool    // speaker view instead of the grid
	pinned      string  // shown large in speaker view
	stripOffset float32 // how far the strip under speaker view is scrolled
	page        int
	dominant    call.Dominant // who speaker view shows large, unless someone is pinned
	stageGen    int           // counts stage builds: layouts of an old stage are ignored

	// The reactions floating, the cues played (tests read them), and
	// the buttons that open the host's menus (screenshots tap them).
	hostBtns []*tipButton     // the Host buttons of the screen shown
	menuBtns []*widget.Button // the people list's menu buttons
	anims    []*fyne.Animation
	cues     []media.Cue

	share    shareState      // our screen share, and others' (share.go)
	shown    shownRoster     // the roster as the screen built shows it (callscreen.go)
	stageBox *fyne.Container // holds the stage of the screen built (restage)

	chatList       *fyne.Container
	chatSending    map[string]*sendingLine // our lines held while reconnecting, or not sent, by id
	chatEntry      *textEntry
	chatBtn        *tipButton
	chatBtnCompact *tipButton
	done           chan struct{}
	pump           *pump
	ui             *uiRunner // hands the call's work to the UI thread (uirun.go)
}

// person is someone's tile: what the model knows of them, and the
// widgets that show it.
type person struct {
	*call.Person
	speaking bool
	tile     *videoTile
	ring     *fyne.Container
}

// enterCall shows the call screen for a joined session.
func (a *App) enterCall(sess room.Session, local *media.Local, remote *media.Remote) {
	s := a.state
	me := sess.Self()
	if me.Name == "" {
		me.Name = s.Name
	}
	c := &callState{session: sess, local: local, remote: remote, link: s.Link, hosted: s.hosts(s.Link),
		selfID: me.ID, m: call.New(me), people: map[string]*person{}, entered: time.Now(), done: make(chan struct{}), pump: newPump(),
		micOff: !s.Lobby.MicOn, camOff: !s.Lobby.CamOn}
	a.syncPeople(c)
	self := c.people[c.selfID]
	self.HasVideo = local != nil && local.VideoTrack() != nil
	if local != nil {
		local.SetPreview(self.tile)
	}
	c.chatList = container.NewVBox()
	c.chatEntry = newTextEntry()
	c.chatEntry.OnSubmitted = func(string) { a.sendChat(c) }
	s.Call = c
	a.bindShortcuts(c)
	a.sendUnsent(c)
	// The call's work reaches the UI thread through one runner (uirun.go)
	// until the call ends or the window goes (the call may outlive it:
	// Abandon).
	stop := make(chan struct{})
	go func() {
		select {
		case <-c.done:
		case <-a.uiGone:
		}
		close(stop)
	}()
	ui := newUIRunner()
	c.ui = ui
	go ui.run(stop)
	go a.deliverEvents(c, sess.Events(), ui, stop)
	go c.pump.run(stop, func(show func()) bool { return ui.do(stop, show) }, func() (more bool) {
		if a.state.Call != c {
			return false
		}
		for _, p := range c.people {
			more = p.tile.show() || more
		}
		return more
	})
	if a.opts.TileStats != "" {
		go ui.probe(stop)
	}
	go func() {
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				ui.do(stop, func() {
					a.updateSpeaking(c)
					a.checkDevices(c)
					if a.opts.TileStats != "" {
						a.writeTileStats(c)
					}
				})
			}
		}
	}()
	a.goTo(ScreenCall)
	if s.sampleCall != "" {
		a.applySampleCall(c)
		a.show()
	}
}

func (a *App) bindShortcuts(c *callState) {
	cv := a.win.Canvas()
	mod := fyne.KeyModifierShortcutDefault
	cv.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyD, Modifier: mod}, func(fyne.Shortcut) { a.toggleMic(c) })
	cv.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyE, Modifier: mod}, func(fyne.Shortcut) { a.toggleCam(c) })
	cv.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: mod | fyne.KeyModifierShift}, func(fyne.Shortcut) { a.confirmLeave(c) })
	cv.AddShortcut(shareShortcut, func(fyne.Shortcut) { a.toggleShare(c) })
	cv.AddShortcut(chatShortcut, func(fyne.Shortcut) { a.toggleChat(c) })
	cv.AddShortcut(viewShortcut, func(fyne.Shortcut) { a.toggleView(c) })
	// Push to talk: Space held while muted (a text field with focus takes
	// its keys itself, so typing a space in chat never unmutes).
	if dc, ok := cv.(desktop.Canvas); ok {
		dc.SetOnKeyDown(func(e *fyne.KeyEvent) {
			if e.Name == fyne.KeySpace {
				a.pushToTalk(c, true)
			}
		})
		dc.SetOnKeyUp(func(e *fyne.KeyEvent) {
			if e.Name == fyne.KeySpace {
				a.pushToTalk(c, false)
			}
		})
	}
}

// pushToTalk unmutes while Space is held, if we were muted, and mutes
// again when it is let go. Key repeats while it is held change nothing.
func (a *App) pushToTalk(c *callState, held bool) {
	if a.state.Call != c || c.local == nil || c.local.AudioTrack() == nil || a.modal != nil {
		return
	}
	switch {
	case held && c.micOff && !c.pushing:
		c.pushing, c.micOff = true, false
	case !held && c.pushing:
		c.pushing, c.micOff = false, true
	default:
		return
	}
	_ = c.session.SetMuted(room.Audio, c.micOff)
	a.show()
}

func (a *App) unbindShortcuts() {
	cv := a.win.Canvas()
	mod := fyne.KeyModifierShortcutDefault
	cv.RemoveShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyD, Modifier: mod})
	cv.RemoveShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyE, Modifier: mod})
	cv.RemoveShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: mod | fyne.KeyModifierShift})
	cv.RemoveShortcut(shareShortcut)
	cv.RemoveShortcut(chatShortcut)
	cv.RemoveShortcut(viewShortcut)
	if dc, ok := cv.(desktop.Canvas); ok {
		dc.SetOnKeyDown(nil)
		dc.SetOnKeyUp(nil)
	}
}

// deliverEvents hands the room's events to the UI thread in batches: all
// that have come while the last batch waited for it (a crowd joining is a
// few hundred events in a second). After stop they are read to the end of
// the stream and dropped.
func (a *App) deliverEvents(c *callState, events <-chan room.Event, ui *uiRunner, stop <-chan struct{}) {
	var mu sync.Mutex
	var pending []room.Event
	wake := make(chan struct{}, 1)
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		for ev := range events {
			mu.Lock()
			pending = append(pending, ev)
			mu.Unlock()
			select {
			case wake <- struct{}{}:
			default:
			}
		}
	}()
	for last := false; !last; {
		select {
		case <-stop:
			return
		case <-wake:
		case <-ended:
			last = true
		}
		mu.Lock()
		batch := pending
		pending = nil
		mu.Unlock()
		if len(batch) == 0 {
			continue
		}
		if !ui.do(stop, func() { a.onCallEvents(c, batch) }) {
			return
		}
	}
}

// onCallEvent takes in one of the room's events: the model changes, and
// the screen shows what changed.
func (a *App) onCallEvent(c *callState, ev room.Event) { a.onCallEvents(c, []room.Event{ev}) }

// onCallEvents takes in a batch of the room's events (uirun.go hands them
// over together): the model takes each, and the screen follows once for
// the batch. A crowd's comings and goings arrive tens at a time, and
// syncing the tiles and the pager after each one held the UI thread for
// 17-56 ms a batch (make bench's churn; now 2-8 ms).
func (a *App) onCallEvents(c *callState, batch []room.Event) {
	roster, show := false, false
	for _, ev := range batch {
		if a.state.Call != c {
			return
		}
		if e, ok := ev.(room.StateEvent); ok && e.State == room.Failed {
			a.endCall(c, e.Err, e.Unsent)
			return
		}
		// Who comes and goes is announced; the name of who left is gone after.
		joined, notice, name := false, "", ""
		switch e := ev.(type) {
		case room.ParticipantJoined:
			if e.Participant.ID != c.selfID && c.m.Person(e.Participant.ID) == nil {
				joined, notice, name = true, "call.joined", e.Participant.Name
			}
		case room.ParticipantLeft:
			if p := c.m.Person(e.ID); p != nil && e.ID != c.selfID {
				notice, name = "call.left", p.Name
			}
		}
		change := c.m.Apply(ev)
		a.gestureEvent(c, ev, joined)
		switch {
		case change == 0:
		case change == call.Chat:
			a.addChatLine(c, ev.(room.ChatMessage))
		case change == call.ChatSent:
			a.chatLineSent(c, ev.(room.ChatSent))
		default:
			roster = roster || change&call.Roster != 0
			show = show || change != call.Roster
		}
		if notice != "" {
			a.noticePeople(c, notice, name)
		}
	}
	if roster {
		a.syncPeople(c)
		if !show && !a.showThrottle.pending && a.rosterInPlace(c) {
			return
		}
	}
	if roster || show {
		a.showSoon()
	}
}

// rebuildEvery bounds how often the room's events rebuild the screen: a
// crowd joining (ten a second in a large meeting) redraws the screen a few
// times a second, not once per person, so the UI never stalls.
const rebuildEvery = 200 * time.Millisecond

// showSoon rebuilds the screen now, or if it was rebuilt less than
// rebuildEvery ago, once when that time is up.
func (a *App) showSoon() { a.showThrottle.soon(a.show) }

// throttle runs work at most once per rebuildEvery: now if the last run
// is that long ago, else once when that time is up. UI thread only.
type throttle struct {
	last    time.Time
	pending bool
}

func (t *throttle) soon(work func()) {
	if t.pending {
		return
	}
	wait := rebuildEvery - time.Since(t.last)
	if wait <= 0 {
		t.last = time.Now()
		work()
		return
	}
	t.pending = true
	time.AfterFunc(wait, func() {
		fyne.Do(func() {
			t.pending = false
			t.last = time.Now()
			work()
		})
	})
}

// syncPeople gives everyone in the meeting a tile, and takes away the
// tiles of those who left.
func (a *App) syncPeople(c *callState) {
	for _, id := range c.m.IDs() {
		if c.people[id] != nil {
			continue
		}
		p := &person{Person: c.m.Person(id), tile: newPumpedTile(c.pump)}
		c.people[id] = p
		if c.remote != nil && id != c.selfID {
			c.remote.SetVideoSink(id, p.tile)
		}
	}
	for id := range c.people {
		if c.m.Person(id) != nil {
			continue
		}
		delete(c.people, id)
		if c.remote != nil {
			c.remote.SetVideoSink(id, nil)
		}
		if c.pinned == id {
			c.pinned = ""
		}
		c.dominant.Forget(id)
	}
}

// checkDevices notices a camera or microphone that stopped mid-call (it
// was unplugged, or another program took it): a banner says so and what
// to do, and goes when another device is chosen. The call goes on with
// whatever still works.
func (a *App) checkDevices(c *callState) {
	if a.state.Call != c {
		return
	}
	if c.remote != nil {
		if u := c.remote.Undecodable(); !maps.Equal(u, c.undecodable) {
			c.undecodable = u
			a.show()
		}
	}
	if c.local == nil {
		return
	}
	if paused := c.local.Stats().VideoPaused && !c.camOff; paused != c.netPaused {
		c.netPaused = paused
		a.show()
	}
	cam, mic := c.local.Failed()
	if camDown, micDown := cam != nil, mic != nil; camDown != c.camDown || micDown != c.micDown {
		if camDown != c.camDown && c.session != nil {
			// The others see our initials, not a frozen picture.
			_ = c.session.SetMuted(room.Video, camDown || c.camOff)
		}
		c.camDown, c.micDown = camDown, micDown
		a.show()
	}
}

// rosterSettle is how long after joining the people already there keep
// arriving; they are not announced.
const rosterSettle = 2 * time.Second

// quietAbove is the meeting size above which comings and goings are not
// announced (they would never stop).
const quietAbove = 10

// noticePeople says briefly that someone joined or left.
func (a *App) noticePeople(c *callState, key, name string) {
	if time.Since(c.entered) < rosterSettle || c.m.Len() > quietAbove {
		return
	}
	if name == "" {
		name = a.tr.T("call.someone")
	}
	a.notify(a.tr.Tf(key, map[string]any{"Name": name}))
}

// updateSpeaking marks who speaks, in place (no rebuild), and follows the
// dominant speaker for speaker view (not ourselves: we are not shown to
// ourselves large).
func (a *App) updateSpeaking(c *callState) {
	if a.state.Call != c {
		return
	}
	loudest, best := "", speakingLevel
	reorder := false
	for id, p := range c.people {
		level := 0.0
		switch {
		case id == c.selfID && c.local != nil && !c.micOff:
			level = c.local.AudioLevel()
		case id != c.selfID && c.remote != nil:
			level = c.remote.AudioLevel(id)
		}
		speaking := level > speakingLevel
		if speaking && c.m.Speaking(id) {
			reorder = true // someone new talks: their tile moves forward
		}
		if level > best && id != c.selfID {
			loudest, best = id, level
		}
		if speaking != p.speaking {
			p.speaking = speaking
			if p.ring != nil {
				if speaking {
					p.ring.Show()
				} else {
					p.ring.Hide()
				}
			}
		}
	}
	if c.dominant.Update(loudest, time.Now()) && c.speaker && c.pinned == "" {
		reorder = true
	}
	if reorder {
		a.restage(c)
	}
}

// leaveCall leaves (ending a hosted meeting) and goes home.
func (a *App) leaveCall(c *callState) {
	a.closeCall(c)
	a.backHome() // which ends a meeting we host
}

// endCall is the session failing under us: say why, show the chat it
// could not send, offer to retry.
func (a *App) endCall(c *callState, err error, unsent []string) {
	refused := c.m.Refused() // before the session's own: typed earlier
	a.closeCall(c)
	s := a.state
	s.Screen, s.JoinError, s.CallLost = ScreenJoining, roomProblem(err), true
	s.UnsentChat = append(s.UnsentChat, refused...)
	s.UnsentChat = append(s.UnsentChat, unsent...)
	a.show()
}

// sendUnsent sends, once, the chat the last call could not, in the call
// the user rejoined.
func (a *App) sendUnsent(c *callState) {
	s := a.state
	for i, text := range s.UnsentChat {
		if err := c.session.SendChat(text); err != nil {
			s.UnsentChat = s.UnsentChat[i:]
			a.notify(a.problemText(roomProblem(err)))
			return
		}
	}
	s.UnsentChat = nil
}

// closeCall leaves the room in the background; the channel closes when
// the room has been told.
func (a *App) closeCall(c *callState) <-chan struct{} {
	left := make(chan struct{})
	if a.state.Call != c {
		close(left)
		return left
	}
	a.state.Call = nil
	close(c.done)
	a.unbindShortcuts()
	sess, local, remote := c.session, c.local, c.remote
	if c.share.full {
		a.win.SetFullScreen(false)
	}
	share := c.share.local
	c.share.local = nil
	go func() {
		if share != nil {
			share.Close()
		}
		_ = sess.Leave()
		close(left)
		if remote != nil {
			remote.Close()
		}
		if local != nil {
			local.Close()
		}
	}()
	return left
}

// notify shows a short message over the window.
func (a *App) notify(text string) {
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground))
	bg.CornerRadius = theme.InputRadiusSize()
	toast := container.NewStack(bg, container.NewPadded(widget.NewLabel(text)))
	a.toasts.Add(toast)
	time.AfterFunc(2*time.Second, func() { fyne.Do(func() { a.toasts.Remove(toast) }) })
}

// toastLayout puts notices at the bottom centre of the window, above the
// call's controls, the newest lowest. The layer lies over the screen
// inside the window's content, not as a pop-up: a pop-up takes the
// keyboard while it shows, and the chat's next keys went nowhere when
// someone joined.
type toastLayout struct{}

func (toastLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.Size{} }

func (toastLayout) Layout(toasts []fyne.CanvasObject, size fyne.Size) {
	y := size.Height - 90
	for i := len(toasts) - 1; i >= 0; i-- {
		m := toasts[i].MinSize()
		y -= m.Height
		toasts[i].Move(fyne.NewPos((size.Width-m.Width)/2, y))
		toasts[i].Resize(m)
		y -= theme.Padding()
	}
}
