package app

import (
	"image/color"

	"net"
	"strings"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
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
	m        *call.Model
	people   map[string]*person
	entered  time.Time // when the call screen opened
	micOff   bool
	camOff   bool
	peopleOn bool
	speaker  bool   // speaker view instead of the grid
	pinned   string // shown large in speaker view
	page     int
	loudest  string
	stageGen int // counts stage builds: layouts of an old stage are ignored

	chatList       *fyne.Container
	chatEntry      *widget.Entry
	chatBtn        *tipButton
	chatBtnCompact *tipButton
	done           chan struct{}
	pump           *pump
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
	c.chatEntry = widget.NewEntry()
	c.chatEntry.OnSubmitted = func(string) { a.sendChat(c) }
	s.Call = c
	a.bindShortcuts(c)
	go func() {
		for ev := range sess.Events() {
			ev := ev
			fyne.Do(func() { a.onCallEvent(c, ev) })
		}
	}()
	go a.pumpTiles(c)
	go func() {
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-c.done:
				return
			case <-t.C:
				fyne.Do(func() { a.updateSpeaking(c) })
				if a.opts.TileStats != "" {
					fyne.Do(func() { a.writeTileStats(c) })
				}
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
}

func (a *App) unbindShortcuts() {
	cv := a.win.Canvas()
	mod := fyne.KeyModifierShortcutDefault
	cv.RemoveShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyD, Modifier: mod})
	cv.RemoveShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyE, Modifier: mod})
	cv.RemoveShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: mod | fyne.KeyModifierShift})
}

// onCallEvent takes in one of the room's events: the model changes, and
// the screen shows what changed.
func (a *App) onCallEvent(c *callState, ev room.Event) {
	if a.state.Call != c {
		return
	}
	if e, ok := ev.(room.StateEvent); ok && e.State == room.Failed {
		a.endCall(c, e.Err)
		return
	}
	// Who comes and goes is announced; the name of who left is gone after.
	switch e := ev.(type) {
	case room.ParticipantJoined:
		if e.Participant.ID != c.selfID && c.m.Person(e.Participant.ID) == nil {
			defer a.noticePeople(c, "call.joined", e.Participant.Name)
		}
	case room.ParticipantLeft:
		if p := c.m.Person(e.ID); p != nil && e.ID != c.selfID {
			defer a.noticePeople(c, "call.left", p.Name)
		}
	}
	switch c.m.Apply(ev) {
	case 0:
		return
	case call.Roster:
		a.syncPeople(c)
	case call.Chat:
		a.addChatLine(c, ev.(room.ChatMessage))
		return
	}
	a.show()
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
	if time.Since(c.entered) < rosterSettle || len(c.people) > quietAbove {
		return
	}
	if name == "" {
		name = a.tr.T("call.someone")
	}
	a.notify(a.tr.Tf(key, map[string]any{"Name": name}))
}

// pumpTiles puts the tiles' new pictures on screen (see pump).
func (a *App) pumpTiles(c *callState) {
	c.pump.run(c.done, func() {
		if a.state.Call != c {
			return
		}
		for _, p := range c.people {
			p.tile.show()
		}
	})
}

// updateSpeaking marks who speaks, in place (no rebuild), and remembers
// the loudest for speaker view.
func (a *App) updateSpeaking(c *callState) {
	if a.state.Call != c {
		return
	}
	loudest, best := "", speakingLevel
	for id, p := range c.people {
		level := 0.0
		switch {
		case id == c.selfID && c.local != nil && !c.micOff:
			level = c.local.AudioLevel()
		case id != c.selfID && c.remote != nil:
			level = c.remote.AudioLevel(id)
		}
		speaking := level > speakingLevel
		if level > best {
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
	if loudest != "" && loudest != c.loudest && c.speaker && c.pinned == "" {
		c.loudest = loudest
		a.show()
	}
}

func (a *App) callScreen() fyne.CanvasObject {
	c := a.state.Call
	if c == nil {
		return a.homeScreen()
	}
	var top []fyne.CanvasObject
	if c.m.State == room.Reconnecting {
		banner := widget.NewLabelWithStyle(a.tr.T("call.reconnecting"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
		banner.Importance = widget.WarningImportance
		top = append(top, container.NewStack(canvas.NewRectangle(color.NRGBA{0xd9, 0x77, 0x06, 0x40}), banner))
	}
	if c.hosted && loopbackOnly(c.link) {
		warn := a.wrapped(a.tr.T("call.loopback_only"))
		warn.Importance = widget.WarningImportance
		top = append(top, warn)
	}
	if c.m.Len() == 1 {
		// Alone: the next thing to do is to invite someone.
		alone := a.wrapped(a.tr.T("call.alone"))
		copyBtn := widget.NewButtonWithIcon(a.tr.T("call.copy_link"), theme.ContentCopyIcon(), func() { a.copyInvite(c) })
		copyBtn.Importance = widget.HighImportance
		top = append(top, container.NewBorder(nil, nil, nil, container.NewCenter(copyBtn), alone))
	}
	if c.m.Notice != "" {
		n := a.wrapped(a.tr.Tf("call.notice", map[string]any{"Text": c.m.Notice}))
		close := widget.NewButtonWithIcon("", theme.CancelIcon(), func() { c.m.Notice = ""; a.show() })
		top = append(top, container.NewBorder(nil, nil, nil, close, n))
	}
	header := container.NewHBox(widget.NewLabelWithStyle(title(c.link), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewLabel(a.tr.N("call.participants", len(c.people), nil)), layout.NewSpacer(), a.languagePicker())
	top = append([]fyne.CanvasObject{header}, top...)

	var side fyne.CanvasObject
	switch {
	case c.m.ChatOpen():
		side = a.chatPanel(c)
	case c.peopleOn:
		side = a.peoplePanel(c)
	}
	var right fyne.CanvasObject
	if side != nil {
		right = container.New(&maxWidth{Width: 320}, side)
	}
	return container.NewBorder(container.NewVBox(top...), a.controls(c), nil, right, a.stage(c))
}

// loopbackOnly says whether a meeting's link leads to this computer only
// (hosted on 127.0.0.1 because there was no network): nobody else can join.
func loopbackOnly(l link.Link) bool {
	h := hostOf(l.GroupURL)
	if host, _, err := net.SplitHostPort(h); err == nil {
		h = host
	}
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// stage is the grid (paged) or the speaker view.
func (a *App) stage(c *callState) fyne.CanvasObject {
	c.stageGen++
	gen := c.stageGen
	current := func() bool { return a.state.Call == c && c.stageGen == gen }
	if c.speaker && c.m.Len() > 1 {
		main := c.pinned
		if main == "" {
			main = c.loudest
		}
		ids := c.m.IDs()
		if c.people[main] == nil || main == c.selfID {
			main = ids[1]
		}
		c.people[main].tile.setScale(1)
		var others []string
		strip := container.NewHBox()
		for _, id := range ids {
			if id != main {
				others = append(others, id)
				c.people[id].tile.setScale(2) // the strip's tiles are 200 px wide
				strip.Add(container.New(&fixedSize{fyne.NewSize(stripTileWidth, 120)}, a.tileSized(c, c.people[id], false, true)))
			}
		}
		scroll := container.NewHScroll(strip)
		// The large tile in full; of the strip, the tiles in view.
		selectShown := func() {
			if !current() || scroll.Size().Width == 0 {
				return
			}
			shown := map[string]room.Quality{main: room.QualityHigh}
			left, right := scroll.Offset.X, scroll.Offset.X+scroll.Size().Width
			step := stripTileWidth + theme.Padding()
			for i, id := range others {
				if x := float32(i) * step; x+stripTileWidth > left && x < right {
					shown[id] = room.QualityLow
				}
			}
			a.selectVideo(c, shown)
		}
		scroll.OnScrolled = func(fyne.Position) { selectShown() }
		watched := container.New(&sizeWatch{onSize: selectShown}, scroll)
		return container.NewBorder(nil, watched, nil, nil, a.tile(c, c.people[main], true))
	}
	ids, page, pages := call.Page(c.m.IDs(), c.page, pageSize)
	c.page = page
	tiles := make([]fyne.CanvasObject, len(ids))
	for i, id := range ids {
		tiles[i] = a.tile(c, c.people[id], len(ids) == 1)
	}
	// Once laid out: small tiles get half-size pictures and the room's low
	// layer; people on other pages get nothing.
	grid := container.New(&tileGrid{sized: func(widths []float32) {
		if !current() {
			return
		}
		shown := map[string]room.Quality{}
		for i, id := range ids {
			scale, q := 1, room.QualityHigh
			if widths[i] < smallTileWidth {
				scale, q = 2, room.QualityLow
			}
			c.people[id].tile.setScale(scale)
			shown[id] = q
		}
		a.selectVideo(c, shown)
	}}, tiles...)
	if pages <= 1 {
		return grid
	}
	prev := widget.NewButtonWithIcon(a.tr.T("call.prev"), theme.NavigateBackIcon(), func() { c.page--; a.show() })
	next := widget.NewButtonWithIcon(a.tr.T("call.next"), theme.NavigateNextIcon(), func() { c.page++; a.show() })
	if c.page == 0 {
		prev.Disable()
	}
	if c.page >= pages-1 {
		next.Disable()
	}
	pager := container.NewHBox(layout.NewSpacer(), prev,
		widget.NewLabel(a.tr.Tf("call.page", map[string]any{"Page": c.page + 1, "Pages": pages})), next, layout.NewSpacer())
	return container.NewBorder(nil, pager, nil, nil, grid)
}

// selectVideo asks the room for the remote videos on screen only, at the
// size they are shown (where the room can: room.VideoSelector), whenever
// that changes: a large meeting costs what is shown, not what is there.
func (a *App) selectVideo(c *callState, shown map[string]room.Quality) {
	if !c.m.Want(shown) {
		return
	}
	if sel, ok := c.session.(room.VideoSelector); ok {
		sel.SelectVideo(c.m.Wanted())
	}
}

// stripTileWidth is the width of the small tiles under speaker view.
const stripTileWidth = 200

// sizeWatch lays out its one object over its whole size, and tells onSize
// after each layout.
type sizeWatch struct{ onSize func() }

func (w *sizeWatch) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
	w.onSize()
}

func (w *sizeWatch) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var m fyne.Size
	for _, o := range objs {
		m = m.Max(o.MinSize())
	}
	return m
}

// tile is one person: video, or initials when the camera is off; name,
// muted microphone, and a ring while speaking. Software GL (Xvfb, old
// machines) pays for every pixel of every layer at every video frame, so a
// video tile has no background under it: the picture covers the tile
// (cropped at the edges, as meeting apps do), except the one large tile of
// speaker view (large), which shows all of it. The ring is four thin bars,
// not a stroked rectangle, whose shader runs over the whole tile.
func (a *App) tile(c *callState, p *person, large bool) fyne.CanvasObject {
	return a.tileSized(c, p, large, false)
}

// tileSized is tile; small tiles (speaker view's strip) get a smaller
// avatar, so the name tag under it does not cover it.
func (a *App) tileSized(c *callState, p *person, large, small bool) fyne.CanvasObject {
	p.ring = newRing()
	if !p.speaking {
		p.ring.Hide()
	}
	videoOn := p.HasVideo && !p.VideoMuted
	if p.ID == c.selfID {
		videoOn = c.local != nil && c.local.VideoTrack() != nil && !c.camOff
	}
	var layers []fyne.CanvasObject
	if videoOn {
		p.tile.img.FillMode = canvas.ImageFillCover
		if large {
			p.tile.img.FillMode = canvas.ImageFillContain
			layers = append(layers, canvas.NewRectangle(tileBackground))
		}
		layers = append(layers, p.tile.img)
	} else {
		circle := canvas.NewCircle(tileColor(p.ID))
		letters := canvas.NewText(initials(p.Name), color.White)
		letters.TextSize = 28
		letters.TextStyle = fyne.TextStyle{Bold: true}
		letters.Alignment = fyne.TextAlignCenter
		avatar := fyne.NewSize(88, 88)
		var avatarBox fyne.CanvasObject
		if small {
			avatar, letters.TextSize = fyne.NewSize(48, 48), 18
		}
		avatarBox = container.New(&fixedSize{avatar}, container.NewStack(circle, container.NewCenter(letters)))
		if small {
			// Above the name tag, not under it.
			avatarBox = container.NewVBox(container.NewCenter(avatarBox), layout.NewSpacer())
			avatarBox = container.NewPadded(avatarBox)
		} else {
			avatarBox = container.NewCenter(avatarBox)
		}
		layers = append(layers, canvas.NewRectangle(tileBackground), avatarBox)
	}
	name := p.Name
	if p.ID == c.selfID {
		name = a.tr.Tf("call.you", map[string]any{"Name": p.Name})
	}
	label := canvas.NewText(" "+name+" ", color.White)
	label.TextSize = 13
	labelBg := canvas.NewRectangle(color.NRGBA{0, 0, 0, 0x99})
	labelBg.CornerRadius = 4
	badge := container.NewHBox()
	muted := p.AudioMuted
	if p.ID == c.selfID {
		muted = c.micOff
	}
	if muted {
		badge.Add(widget.NewIcon(iconMicOff))
	}
	nameTag := container.NewHBox(container.NewStack(labelBg, container.NewHBox(badge, label)))
	var pin fyne.CanvasObject = layout.NewSpacer()
	if p.ID != c.selfID {
		tip := a.tr.T("call.tip.pin")
		if c.pinned == p.ID {
			tip = a.tr.T("call.tip.unpin")
		}
		pb := a.newTipButton("", iconPin, tip, func() {
			if c.pinned == p.ID {
				c.pinned = ""
			} else {
				c.pinned, c.speaker = p.ID, true
			}
			a.show()
		})
		pb.Importance = widget.LowImportance
		if c.pinned == p.ID {
			pb.Importance = widget.HighImportance // pinned looks pinned
		}
		pin = pb
	}
	over := container.NewBorder(container.NewHBox(layout.NewSpacer(), pin), container.NewPadded(nameTag), nil, nil)
	return container.NewStack(append(layers, p.ring, over)...)
}

// tileBackground is behind initials, and around the large tile's video.
var tileBackground = color.NRGBA{0x20, 0x22, 0x28, 0xff}

// ringColor marks who speaks.
var ringColor = color.NRGBA{0x22, 0xc5, 0x5e, 0xff}

// ringWidth is how thick the speaking ring is.
const ringWidth = 3

// newRing is a frame of four bars along the edges of what it is stacked on.
func newRing() *fyne.Container {
	bars := make([]fyne.CanvasObject, 4)
	for i := range bars {
		bars[i] = canvas.NewRectangle(ringColor)
	}
	return container.New(ringLayout{}, bars...)
}

type ringLayout struct{}

func (ringLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(2*ringWidth, 2*ringWidth)
}
func (ringLayout) Layout(bars []fyne.CanvasObject, size fyne.Size) {
	w, h := size.Width, size.Height
	place := func(o fyne.CanvasObject, x, y, bw, bh float32) {
		o.Move(fyne.NewPos(x, y))
		o.Resize(fyne.NewSize(bw, bh))
	}
	place(bars[0], 0, 0, w, ringWidth)
	place(bars[1], 0, h-ringWidth, w, ringWidth)
	place(bars[2], 0, 0, ringWidth, h)
	place(bars[3], w-ringWidth, 0, ringWidth, h)
}

// initials are what a tile without video shows: the first letters of the
// first two words ("Ken Sato" → "KS"), or for a name that starts in
// Chinese or Japanese script only its first character ("小明 Yuki" → "小",
// not a mix of scripts).
func initials(name string) string {
	words := strings.Fields(name)
	if len(words) == 0 {
		return "?"
	}
	if first := []rune(words[0])[0]; isCJK(first) {
		return string(first)
	}
	var out []rune
	for _, w := range words {
		out = append(out, unicode.ToUpper([]rune(w)[0]))
		if len(out) == 2 {
			break
		}
	}
	return string(out)
}

// isCJK says whether r is written in Chinese characters, kana or hangul.
func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// fixedSize gives its content one size.
type fixedSize struct{ size fyne.Size }

func (f *fixedSize) MinSize([]fyne.CanvasObject) fyne.Size { return f.size }
func (f *fixedSize) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}

// controls are the call's buttons. A window too narrow for their words
// (Japanese labels are long) shows them as icons, each with its words as
// a tooltip: the same actions, two ways of showing them (see fitBar).
func (a *App) controls(c *callState) fyne.CanvasObject {
	return container.NewPadded(container.New(&fitBar{}, a.controlBar(c, false), a.controlBar(c, true)))
}

// controlBar is the row of call buttons, with words or (compact) icons only.
func (a *App) controlBar(c *callState, compact bool) fyne.CanvasObject {
	hasMic := c.local != nil && c.local.AudioTrack() != nil
	hasCam := c.local != nil && c.local.VideoTrack() != nil
	button := func(text string, icon fyne.Resource, tip string, tapped func()) *tipButton {
		if compact {
			if tip == "" {
				tip = text
			}
			text = ""
		}
		return a.newTipButton(text, icon, tip, tapped)
	}
	micIcon, micText, micTip := iconMic, a.tr.T("call.mute"), a.tr.T("call.tip.mic")
	if c.micOff {
		micIcon, micText = iconMicOff, a.tr.T("call.unmute")
	}
	if !hasMic {
		micIcon, micText, micTip = iconMicOff, a.tr.T("call.unmute"), a.tr.T("call.tip.no_mic")
	}
	camIcon, camText, camTip := iconCam, a.tr.T("call.camera_off"), a.tr.T("call.tip.camera")
	if c.camOff {
		camIcon, camText = iconCamOff, a.tr.T("call.camera_on")
	}
	if !hasCam {
		camIcon, camText, camTip = iconCamOff, a.tr.T("call.camera_on"), a.tr.T("call.tip.no_camera")
	}
	mic := button(micText, micIcon, micTip, func() { a.toggleMic(c) })
	cam := button(camText, camIcon, camTip, func() { a.toggleCam(c) })
	if !hasMic {
		mic.Disable()
	}
	if !hasCam {
		cam.Disable()
	}
	chatText := a.tr.T("call.chat")
	if c.m.Unread > 0 {
		chatText = a.tr.Tf("call.chat_unread", map[string]any{"Count": c.m.Unread})
	}
	chat := button(chatText, iconChat, "", func() { a.toggleChat(c) })
	if c.m.Unread > 0 && compact {
		chat.tip = chatText
		chat.Importance = widget.HighImportance
	}
	if compact {
		c.chatBtnCompact = chat
	} else {
		c.chatBtn = chat
	}
	people := button(a.tr.T("call.people"), iconPeople, "", func() {
		c.peopleOn = !c.peopleOn
		c.m.SetChatOpen(false)
		a.show()
	})
	viewText, viewIcon := a.tr.T("call.speaker_view"), theme.ViewFullScreenIcon()
	if c.speaker {
		viewText, viewIcon = a.tr.T("call.grid_view"), theme.GridIcon()
	}
	view := button(viewText, viewIcon, "", func() { c.speaker, c.pinned = !c.speaker, ""; a.show() })
	devices := button(a.tr.T("call.devices"), theme.SettingsIcon(), "", func() { a.showDevices(c) })
	invite := button(a.tr.T("call.copy_link"), theme.ContentCopyIcon(), "", func() { a.copyInvite(c) })
	leaveText := a.tr.T("call.leave")
	if compact {
		leaveText = a.tr.T("call.tip.leave")
	}
	leave := button(a.tr.T("call.leave"), iconLeave, leaveText, func() { a.confirmLeave(c) })
	if !compact {
		leave.tip = a.tr.T("call.tip.leave")
	}
	leave.Importance = widget.DangerImportance
	return container.NewHBox(layout.NewSpacer(), mic, cam, devices, view, chat, people, invite, leave, layout.NewSpacer())
}

// fitBar shows the first of its objects that fits its width (the last if
// none does), and hides the others.
type fitBar struct{}

func (fitBar) pick(objs []fyne.CanvasObject, width float32) int {
	for i, o := range objs {
		if o.MinSize().Width <= width {
			return i
		}
	}
	return len(objs) - 1
}

func (f fitBar) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	shown := f.pick(objs, size.Width)
	for i, o := range objs {
		if i != shown {
			o.Hide()
			continue
		}
		o.Show()
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (fitBar) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var m fyne.Size
	for _, o := range objs {
		m.Height = max(m.Height, o.MinSize().Height)
	}
	if len(objs) > 0 {
		m.Width = objs[len(objs)-1].MinSize().Width
	}
	return m
}

// copyInvite puts the invite on the clipboard: the web link, and the
// kaigi: link that opens the app.
func (a *App) copyInvite(c *callState) {
	a.fyne.Clipboard().SetContent(c.link.URL + "\n" + c.link.KaigiURL())
	a.notify(a.tr.T("call.copied"))
}

// toggleChat opens the chat, ready to type in, or closes it.
func (a *App) toggleChat(c *callState) {
	c.m.SetChatOpen(!c.m.ChatOpen())
	c.peopleOn = false
	a.show()
	if c.m.ChatOpen() {
		a.win.Canvas().Focus(c.chatEntry)
	}
}

func (a *App) toggleMic(c *callState) {
	if c.local == nil || c.local.AudioTrack() == nil {
		a.notify(a.tr.T("call.tip.no_mic"))
		return
	}
	c.micOff = !c.micOff
	_ = c.session.SetMuted(room.Audio, c.micOff)
	a.show()
}

func (a *App) toggleCam(c *callState) {
	if c.local == nil || c.local.VideoTrack() == nil {
		a.notify(a.tr.T("call.tip.no_camera"))
		return
	}
	c.camOff = !c.camOff
	_ = c.session.SetMuted(room.Video, c.camOff)
	a.show()
}

func (a *App) chatPanel(c *callState) fyne.CanvasObject {
	head := a.label(a.tr.T("call.chat"), fyne.TextStyle{Bold: true})
	c.chatEntry.SetPlaceHolder(a.tr.T("call.chat.placeholder"))
	send := widget.NewButtonWithIcon("", theme.MailSendIcon(), func() { a.sendChat(c) })
	var list fyne.CanvasObject = c.chatList
	if len(c.chatList.Objects) == 0 {
		list = a.wrapped(a.tr.T("call.chat.empty"))
	}
	scroll := container.NewVScroll(list)
	scroll.ScrollToBottom()
	return container.NewBorder(head, container.NewBorder(nil, nil, nil, send, c.chatEntry), nil, nil, scroll)
}

func (a *App) sendChat(c *callState) {
	text := strings.TrimSpace(c.chatEntry.Text)
	if text == "" {
		return
	}
	if err := c.session.SendChat(text); err != nil {
		a.notify(a.problemText(roomProblem(err)))
		return
	}
	c.chatEntry.SetText("")
}

// addChatLine appends a message in place; when the panel is closed the
// chat button counts it (the model decides what is unread).
func (a *App) addChatLine(c *callState, m room.ChatMessage) {
	who := widget.NewLabelWithStyle(m.FromName+"  "+m.Time.Local().Format("15:04"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	body := widget.NewLabel(m.Text)
	body.Wrapping = fyne.TextWrapBreak // CJK text has no spaces to wrap at
	c.chatList.Add(container.NewVBox(who, body))
	if c.m.Unread > 0 {
		text := a.tr.Tf("call.chat_unread", map[string]any{"Count": c.m.Unread})
		if c.chatBtn != nil {
			c.chatBtn.SetText(text)
		}
		if b := c.chatBtnCompact; b != nil {
			b.tip, b.Importance = text, widget.HighImportance
			b.Refresh()
		}
	}
	if c.m.ChatOpen() {
		a.show()
	}
}

func (a *App) peoplePanel(c *callState) fyne.CanvasObject {
	box := container.NewVBox(a.label(a.tr.N("call.participants", len(c.people), nil), fyne.TextStyle{Bold: true}))
	for _, id := range c.m.IDs() { // ourselves first
		p := c.people[id]
		name := p.Name
		if id == c.selfID {
			name = a.tr.Tf("call.you", map[string]any{"Name": p.Name})
		}
		row := container.NewHBox(widget.NewLabel(name), layout.NewSpacer())
		muted := p.AudioMuted
		if id == c.selfID {
			muted = c.micOff
		}
		if muted {
			row.Add(widget.NewIcon(iconMicOff))
		}
		box.Add(row)
	}
	return container.NewVScroll(box)
}

// showDevices switches camera, microphone and speaker during the call:
// the devices under the tracks change, the call goes on.
func (a *App) showDevices(c *callState) {
	lb := &a.state.Lobby
	d := listDevices()
	fail := func(err error) {
		if err != nil {
			a.notify(a.tr.T("call.device_failed"))
		}
	}
	box := container.NewVBox(
		a.devicePicker("lobby.camera", d.cams, &lb.CamID, prefCamera, c.local != nil && c.local.VideoTrack() != nil, "lobby.no_camera"),
		a.devicePicker("lobby.microphone", d.mics, &lb.MicID, prefMicrophone, c.local != nil && c.local.AudioTrack() != nil, "lobby.no_microphone"),
		a.devicePicker("lobby.speaker", d.speakers, &lb.SpkID, prefSpeaker, len(d.speakers) > 0, "lobby.no_speaker"),
	)
	a.confirmContent(a.tr.T("call.devices"), "devices", box, a.tr.T("call.apply"), func() {
		if a.state.Call != c {
			return
		}
		if c.local != nil && c.local.AudioTrack() != nil && !a.opts.FakeMedia {
			fail(c.local.SwitchMicrophone(lb.MicID))
		}
		if c.local != nil && c.local.VideoTrack() != nil && !a.opts.FakeMedia {
			if cam, err := media.OpenCamera(lb.CamID, 640, 480, 30); err == nil {
				fail(c.local.SwitchCamera(cam))
			} else {
				fail(err)
			}
		}
		if c.remote != nil && !a.opts.FakeMedia {
			fail(c.remote.SwitchSpeaker(lb.SpkID))
		}
	})
}

// confirmLeave asks first; leaving a meeting we host ends it for everyone.
func (a *App) confirmLeave(c *callState) {
	msg, ok := a.tr.T("call.leave_confirm"), a.tr.T("call.leave")
	if c.hosted {
		msg, ok = a.tr.T("call.end_confirm"), a.tr.T("call.end")
	}
	a.confirm(a.tr.T("call.leave_confirm_title"), msg, ok, func() { a.leaveCall(c) })
}

// leaveCall leaves (ending a hosted meeting) and goes home.
func (a *App) leaveCall(c *callState) {
	a.closeCall(c)
	a.backHome() // which ends a meeting we host
}

// endCall is the session failing under us: say why, offer to retry.
func (a *App) endCall(c *callState, err error) {
	a.closeCall(c)
	s := a.state
	s.Screen, s.JoinError, s.CallLost = ScreenJoining, roomProblem(err), true
	a.show()
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
	go func() {
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
	pop := widget.NewPopUp(container.NewPadded(widget.NewLabel(text)), a.win.Canvas())
	size := a.win.Canvas().Size()
	pop.ShowAtPosition(fyne.NewPos(size.Width/2-pop.MinSize().Width/2, size.Height-pop.MinSize().Height-90))
	time.AfterFunc(2*time.Second, func() { fyne.Do(pop.Hide) })
}
