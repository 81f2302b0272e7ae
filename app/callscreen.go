// The call screen: the header and banners, and the stage (the paged grid or speaker view) with the videos it asks the room for.

package app

import (
	"image/color"
	"slices"

	"net"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaigi/room"
	"kaigi/room/call"
	"kaigi/room/link"
)

func (a *App) callScreen() fyne.CanvasObject {
	c := a.state.Call
	if c == nil {
		return a.homeScreen()
	}
	c.stopAnims()
	c.hostBtns, c.menuBtns = nil, nil
	var top []fyne.CanvasObject
	if c.m.State == room.Reconnecting {
		banner := widget.NewLabelWithStyle(a.tr.T("call.reconnecting"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
		banner.Importance = widget.WarningImportance
		top = append(top, container.NewStack(canvas.NewRectangle(color.NRGBA{0xd9, 0x77, 0x06, 0x40}), banner))
	}
	for _, down := range []struct {
		on  bool
		key string
	}{{c.camDown, "call.camera_stopped"}, {c.micDown, "call.microphone_stopped"}} {
		if down.on {
			msg := a.wrapped(a.tr.T(down.key))
			msg.Importance = widget.DangerImportance
			devices := widget.NewButtonWithIcon(a.tr.T("call.devices"), theme.SettingsIcon(), func() { a.showDevices(c) })
			top = append(top, container.NewBorder(nil, nil, nil, container.NewCenter(devices), msg))
		}
	}
	if c.netPaused {
		paused := a.wrapped(a.tr.T("call.video_paused"))
		paused.Importance = widget.WarningImportance
		top = append(top, paused)
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
	top = append(top, a.gestureBanners(c)...)
	top = append(top, a.sharingBar(c)...)
	top = append(top, a.undecryptableLines(c)...)
	for id, what := range c.undecodable {
		if p := c.m.Person(id); p != nil {
			line := a.wrapped(a.tr.Tf("call.undecodable", map[string]any{"Name": p.Name, "Codec": what}))
			line.Importance = widget.WarningImportance
			top = append(top, line)
		}
	}
	c.shown = shownRoster{count: widget.NewLabel(a.tr.N("call.participants", len(c.people), nil)), alone: c.m.Len() == 1}
	header := container.NewHBox(widget.NewLabelWithStyle(title(c.link), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		c.shown.count, a.lock(c), layout.NewSpacer(), a.languagePicker())
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
	c.stageBox = container.NewStack(a.stage(c))
	return container.NewBorder(container.NewVBox(top...), a.controls(c), nil, right, c.stageBox)
}

// restage rebuilds the stage alone (the grid's page, or speaker view) for a
// new page or a new order of tiles: the header, the controls and the side
// panel stay as they are, so turning a page or a new speaker does not
// rebuild and re-lay-out the whole window. Off the call screen, or with a
// whole rebuild pending, there is nothing to do.
func (a *App) restage(c *callState) {
	if a.state.Call != c || a.state.Screen != ScreenCall || c.stageBox == nil || a.showThrottle.pending {
		return
	}
	a.stages++
	c.stageBox.Objects = []fyne.CanvasObject{a.stage(c)}
	c.stageBox.Refresh()
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
	c.shown.page, c.shown.pageLabel, c.shown.next = nil, nil, nil // the grid's, below
	current := func() bool { return a.state.Call == c && c.stageGen == gen }
	if share := a.shareStage(c, current); share != nil {
		return share
	}
	if c.speaker && c.m.Len() > 1 {
		main := c.pinned
		if main == "" {
			main = c.dominant.Current()
		}
		ids := c.m.IDs()
		if c.people[main] == nil || main == c.selfID {
			main = ids[1]
		}
		c.people[main].tile.setScale(1)
		var others []string
		for _, id := range ids {
			if id != main {
				others = append(others, id)
			}
		}
		return a.withStrip(c, a.tile(c, c.people[main], true), main, others, current)
	}
	ids, page, pages := call.Page(c.m.IDs(), c.page, pageSize)
	c.page = page
	c.shown.page, c.shown.pages = ids, pages
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
			p := c.people[id]
			if p == nil {
				continue // left since this page was built; a rebuild comes
			}
			p.tile.setScale(scale)
			shown[id] = q
		}
		a.selectVideo(c, shown)
	}}, tiles...)
	if pages <= 1 {
		return grid
	}
	prev := widget.NewButtonWithIcon(a.tr.T("call.prev"), theme.NavigateBackIcon(), func() { c.page--; a.restage(c) })
	next := widget.NewButtonWithIcon(a.tr.T("call.next"), theme.NavigateNextIcon(), func() { c.page++; a.restage(c) })
	if c.page == 0 {
		prev.Disable()
	}
	if c.page >= pages-1 {
		next.Disable()
	}
	c.shown.pageLabel, c.shown.next = widget.NewLabel(a.tr.Tf("call.page", map[string]any{"Page": c.page + 1, "Pages": pages})), next
	pager := container.NewHBox(layout.NewSpacer(), prev, c.shown.pageLabel, next, layout.NewSpacer())
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

// withStrip puts big (whose video is mainID) above a strip of the tiles
// of ids, and asks for mainID's video in full and, of the strip, only the
// tiles scrolled into view, small. Speaker view and a share on the stage
// both use it. In a meeting of hundreds the strip is hundreds of slots, but
// only the few in view hold a tile: Fyne walks and paints every object of
// a scrolled container at every frame, seen or not. The strip stays where
// it was scrolled to when the stage is built again (a new speaker).
func (a *App) withStrip(c *callState, big fyne.CanvasObject, mainID string, ids []string, current func() bool) fyne.CanvasObject {
	slots := make([]*fyne.Container, len(ids))
	strip := container.NewHBox()
	for i := range ids {
		slots[i] = container.New(&fixedSize{fyne.NewSize(stripTileWidth, 120)})
		strip.Add(slots[i])
	}
	scroll := container.NewHScroll(strip)
	scroll.Offset.X = c.stripOffset // kept within the strip as it is sized
	selectShown := func() {
		if !current() || scroll.Size().Width == 0 {
			return
		}
		c.stripOffset = scroll.Offset.X
		shown := map[string]room.Quality{mainID: room.QualityHigh}
		left, right := scroll.Offset.X, scroll.Offset.X+scroll.Size().Width
		step := stripTileWidth + theme.Padding()
		for i, id := range ids {
			slot, p := slots[i], c.people[id]
			if x := float32(i) * step; p == nil || x+stripTileWidth <= left || x >= right {
				if len(slot.Objects) > 0 {
					slot.Objects = nil
					slot.Refresh()
				}
				continue
			}
			shown[id] = room.QualityLow
			if len(slot.Objects) == 0 {
				p.tile.setScale(2) // the strip's tiles are 200 px wide
				slot.Objects = []fyne.CanvasObject{a.tileSized(c, p, false, true)}
				slot.Refresh()
			}
		}
		a.selectVideo(c, shown)
	}
	scroll.OnScrolled = func(fyne.Position) { selectShown() }
	watched := container.New(&sizeWatch{onSize: selectShown}, scroll)
	return container.NewBorder(nil, watched, nil, nil, big)
}

// shownRoster is what the call screen built shows of the roster: the
// participant count, and the grid's page (nil in speaker view or with a
// share on the stage) with its pager.
type shownRoster struct {
	count     *widget.Label
	alone     bool // the screen was built for one person (the invite banner)
	page      []string
	pages     int
	pageLabel *widget.Label
	next      *widget.Button
}

// rosterInPlace shows a roster change without rebuilding the screen when
// the grid's page shows the same people as before: in a large meeting most
// come and go on other pages, and only the count and the pager change. It
// says whether that was enough.
func (a *App) rosterInPlace(c *callState) bool {
	sh := &c.shown
	if sh.count == nil || sh.page == nil || c.peopleOn || c.speaker || a.state.Screen != ScreenCall || sh.alone != (c.m.Len() == 1) {
		return false
	}
	sh.count.SetText(a.tr.N("call.participants", len(c.people), nil))
	ids, page, pages := call.Page(c.m.IDs(), c.page, pageSize)
	if page != c.page || !slices.Equal(ids, sh.page) || (pages > 1) != (sh.pages > 1) {
		// The page shown changed: build it, not the screen (at most every
		// rebuildEvery, as a crowd may land on it).
		a.stageThrottle.soon(func() { a.restage(c) })
		return true
	}
	if sh.pageLabel != nil && pages != sh.pages {
		sh.pageLabel.SetText(a.tr.Tf("call.page", map[string]any{"Page": c.page + 1, "Pages": pages}))
		if c.page >= pages-1 {
			sh.next.Disable()
		} else {
			sh.next.Enable()
		}
	}
	sh.pages = pages
	return true
}
