// Screen sharing: the Share screen button and its picker (screens and
// windows with live thumbnails), the "You are sharing" bar, and someone
// else's share on the stage.

package app

import (
	"errors"
	"image"
	"image/color"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaigi/media"
	"kaigi/media/screen"
	"kaigi/room"
)

// shareFPS is the rate a screen is shared at: text needs sharpness more
// than motion, and a 1080p screen at 10 fps costs about half a core here
// (docs/benchmarks.md).
const shareFPS = 10

// shareState is our screen share and the shares of others shown.
type shareState struct {
	local *media.Share // nil: we do not share
	what  string       // what we share, as the bar names it
	// tiles show others' shares, by sharer; made when first shown.
	tiles map[string]*videoTile
	full  bool // the share on stage fills the window
}

// shareShortcut starts or stops sharing.
var shareShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}

// shareButton is the toolbar's Share screen (or, while sharing, Stop
// sharing) button.
func (a *App) shareButton(c *callState, button func(text string, icon fyne.Resource, tip string, tapped func()) *tipButton) *tipButton {
	if c.share.local != nil {
		b := button(a.tr.T("share.stop"), theme.MediaStopIcon(), a.tr.T("share.tip_stop"), func() { a.stopShare(c, nil) })
		b.Importance = widget.HighImportance
		return b
	}
	return button(a.tr.T("share.button"), theme.ComputerIcon(), a.tr.T("share.tip"), func() { a.toggleShare(c) })
}

// toggleShare opens the picker, or stops sharing.
func (a *App) toggleShare(c *callState) {
	if a.state.Call != c {
		return
	}
	if c.share.local != nil {
		a.stopShare(c, nil)
		return
	}
	a.openSharePicker(c)
}

// shareProblem is what the user reads when sharing cannot start.
func (a *App) shareProblem(err error) string {
	switch {
	case errors.Is(err, screen.ErrWayland):
		return a.tr.T("share.wayland")
	case errors.Is(err, screen.ErrNoDisplay):
		return a.tr.T("share.no_display")
	case errors.Is(err, screen.ErrUnsupported):
		return a.tr.T("share.unsupported")
	case errors.Is(err, screen.ErrWindowClosed), errors.Is(err, screen.ErrGone):
		return a.tr.T("share.gone")
	}
	return a.tr.T("share.start_failed")
}

// thumbSize is the picker's thumbnail size.
var thumbSize = fyne.NewSize(192, 108)

// openSharePicker shows what can be shared: each screen and each window,
// with a thumbnail refreshed every two seconds and its title. Kaigi's own
// windows are left out, and the picker says a whole screen shows Kaigi
// too when it is on it.
func (a *App) openSharePicker(c *callState) {
	if _, ok := c.session.(room.Sharer); !ok {
		a.inform(a.tr.T("share.cant_title"), a.tr.T("share.room_unsupported"))
		return
	}
	srcs, err := screen.List()
	if err != nil {
		a.inform(a.tr.T("share.cant_title"), a.shareProblem(err))
		return
	}
	var shown []screen.Source
	for _, s := range srcs {
		if !s.Own {
			shown = append(shown, s)
		}
	}
	chosen := -1
	var cards []*widget.Button
	thumbs := make([]*canvas.Image, len(shown))
	var screens, windows []fyne.CanvasObject
	titles := make([]string, len(shown))
	monitors := 0
	for i, s := range shown {
		thumbs[i] = canvas.NewImageFromImage(image.NewRGBA(image.Rect(0, 0, 16, 9)))
		thumbs[i].FillMode = canvas.ImageFillContain
		titles[i] = a.sourceTitle(s, &monitors)
		label := widget.NewLabel(titles[i])
		label.Truncation = fyne.TextTruncateEllipsis
		label.Alignment = fyne.TextAlignCenter
		pick := widget.NewButton("", nil)
		i := i
		pick.OnTapped = func() {
			chosen = i
			for j, b := range cards {
				b.Importance = widget.LowImportance
				if j == i {
					b.Importance = widget.HighImportance
				}
				b.Refresh()
			}
		}
		pick.Importance = widget.LowImportance
		cards = append(cards, pick)
		card := container.NewStack(pick, container.NewPadded(container.NewBorder(nil, label, nil, nil,
			container.New(&fixedSize{thumbSize}, container.NewStack(canvas.NewRectangle(tileBackground), thumbs[i])))))
		if s.Kind == screen.Monitor {
			screens = append(screens, card)
		} else {
			windows = append(windows, card)
		}
	}
	cell := fyne.NewSize(thumbSize.Width+2*theme.Padding()+8, thumbSize.Height+60)
	body := container.NewVBox(widget.NewLabelWithStyle(a.tr.T("share.screens"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewGridWrap(cell, screens...))
	if len(windows) > 0 {
		body.Add(widget.NewLabelWithStyle(a.tr.T("share.windows"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		body.Add(container.NewGridWrap(cell, windows...))
	}
	note := a.wrapped(a.tr.T("share.own_window"))
	content := container.NewBorder(nil, note, nil, nil, container.NewVScroll(body))
	if len(shown) > 0 {
		cards[0].OnTapped() // the (first) screen, chosen unless another is
	}

	stop := make(chan struct{})
	go a.refreshThumbnails(shown, thumbs, stop)
	var m *modal
	d := dialog.NewCustomConfirm(a.tr.T("share.picker_title"), a.tr.T("share.picker_share"), a.tr.T("join.cancel"), content, func(ok bool) {
		close(stop)
		if a.modal == m {
			a.modal = nil
		}
		if ok && chosen >= 0 && a.state.Call == c {
			a.startShare(c, shown[chosen], titles[chosen])
		}
	}, a.win)
	if a.modal != nil {
		a.modal.dismiss()
	}
	m = &modal{key: "share", confirm: d.Confirm, dismiss: d.Dismiss}
	d.Resize(fyne.NewSize(min(a.win.Canvas().Size().Width-40, 3*cell.Width+80), min(a.win.Canvas().Size().Height-40, 560)))
	a.showModal(m, d)
}

// sourceTitle is how the picker and the bar name a source; n counts the
// monitors named so far.
func (a *App) sourceTitle(s screen.Source, n *int) string {
	switch {
	case s.Kind == screen.Window && s.Title == "":
		return a.tr.T("share.untitled")
	case s.Kind == screen.Window:
		return s.Title
	case s.ID == screen.WholeScreen:
		return a.tr.T("share.whole_screen")
	}
	*n++
	return a.tr.Tf("share.monitor", map[string]any{"Number": strconv.Itoa(*n), "Name": s.Title})
}

// refreshThumbnails draws the picker's thumbnails now and every two
// seconds until stop closes.
func (a *App) refreshThumbnails(srcs []screen.Source, thumbs []*canvas.Image, stop <-chan struct{}) {
	t := time.NewTicker(2 * time.Second)
	defer t.Stop()
	for first := true; ; first = false {
		for i, s := range srcs {
			img, err := screen.Thumbnail(s, int(thumbSize.Width), int(thumbSize.Height))
			if err != nil {
				continue
			}
			fyne.Do(func() {
				thumbs[i].Image = img
				thumbs[i].Refresh()
			})
		}
		if first {
			fyne.Do(a.sampleReady)
		}
		select {
		case <-stop:
			return
		case <-t.C:
		}
	}
}

// startShare shares src in the call: captured, encoded for text, and
// published beside the camera.
func (a *App) startShare(c *callState, src screen.Source, what string) {
	sharer, ok := c.session.(room.Sharer)
	if !ok {
		return
	}
	capture, err := screen.Open(src, shareFPS)
	if err != nil {
		a.inform(a.tr.T("share.cant_title"), a.shareProblem(err))
		return
	}
	share, err := media.NewShare(media.ShareConfig{Source: capture})
	if err != nil {
		a.inform(a.tr.T("share.cant_title"), a.shareProblem(err))
		return
	}
	if err := sharer.StartShare(share); err != nil {
		share.Close()
		a.inform(a.tr.T("share.cant_title"), a.tr.T("share.start_failed"))
		return
	}
	c.share.local, c.share.what = share, what
	go func() {
		select {
		case <-share.Done():
		case <-c.done:
			return
		}
		fyne.Do(func() {
			if a.state.Call == c && c.share.local == share {
				a.stopShare(c, share.Err())
			}
		})
	}()
	a.show()
}

// stopShare ends our share; why, when it ended by itself (a window that
// closed), is said.
func (a *App) stopShare(c *callState, why error) {
	share := c.share.local
	if share == nil {
		return
	}
	c.share.local = nil
	if sharer, ok := c.session.(room.Sharer); ok {
		_ = sharer.StopShare()
	}
	go share.Close()
	switch {
	case errors.Is(why, screen.ErrWindowClosed):
		a.notify(a.tr.T("share.window_closed"))
	case why != nil:
		a.notify(a.tr.T("share.failed"))
	}
	if a.state.Call == c {
		a.show()
	}
}

// sharingColor is the sharing bar's background.
var sharingColor = color.NRGBA{0xdc, 0x26, 0x26, 0x50}

// sharingBar is the "You are sharing" bar with Stop, while we share.
func (a *App) sharingBar(c *callState) []fyne.CanvasObject {
	if c.share.local == nil {
		return nil
	}
	text := widget.NewLabelWithStyle(a.tr.Tf("share.bar", map[string]any{"What": c.share.what}), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	text.Truncation = fyne.TextTruncateEllipsis
	stop := a.newTipButton(a.tr.T("share.stop"), theme.MediaStopIcon(), a.tr.T("share.tip_stop"), func() { a.stopShare(c, nil) })
	stop.Importance = widget.DangerImportance
	return []fyne.CanvasObject{container.NewStack(canvas.NewRectangle(sharingColor),
		container.NewBorder(nil, nil, widget.NewIcon(theme.ComputerIcon()), stop, text))}
}

// shareTile is the tile that shows id's share, made (and given the share's
// pictures) when first needed.
func (a *App) shareTile(c *callState, id string) *videoTile {
	if c.share.tiles == nil {
		c.share.tiles = map[string]*videoTile{}
	}
	t := c.share.tiles[id]
	if t == nil {
		t = newVideoTile()
		c.share.tiles[id] = t
		if c.remote != nil {
			c.remote.SetVideoSink(room.ShareID(id), t)
		}
	}
	return t
}

// dropShareTiles forgets the tiles of shares that ended.
func (a *App) dropShareTiles(c *callState) {
	for id := range c.share.tiles {
		if !c.m.Sharing(id) {
			delete(c.share.tiles, id)
			if c.remote != nil {
				c.remote.SetVideoSink(room.ShareID(id), nil)
			}
		}
	}
}

// shareStage is the stage while someone else shares (nil otherwise): the
// share large and whole, everyone's tiles (the sharer's camera among them)
// in the strip below; or, full window, the share alone. The layout the
// call had before comes back when the share ends (it was never changed).
func (a *App) shareStage(c *callState, current func() bool) fyne.CanvasObject {
	a.dropShareTiles(c)
	presenter := c.m.Presenter()
	if presenter == "" || c.people[presenter] == nil {
		if c.share.full {
			c.share.full = false
			a.win.SetFullScreen(false)
		}
		return nil
	}
	t := a.shareTile(c, presenter)
	t.setScale(1)
	t.img.FillMode = canvas.ImageFillContain
	fullText, fullIcon := a.tr.T("share.full_window"), theme.ViewFullScreenIcon()
	if c.share.full {
		fullText, fullIcon = a.tr.T("share.exit_full"), theme.ViewRestoreIcon()
	}
	full := a.newTipButton("", fullIcon, fullText, func() {
		c.share.full = !c.share.full
		a.win.SetFullScreen(c.share.full)
		a.show()
	})
	name := canvas.NewText(" "+a.tr.Tf("share.presenting", map[string]any{"Name": c.people[presenter].Name})+" ", color.White)
	name.TextSize = 13
	nameBg := canvas.NewRectangle(color.NRGBA{0, 0, 0, 0x99})
	nameBg.CornerRadius = 4
	over := container.NewBorder(container.NewHBox(layout.NewSpacer(), full), container.NewPadded(container.NewHBox(container.NewStack(nameBg, name))), nil, nil)
	main := container.NewStack(canvas.NewRectangle(tileBackground), t.img, over)
	if c.share.full {
		a.selectVideo(c, map[string]room.Quality{room.ShareID(presenter): room.QualityHigh})
		return main
	}
	return a.withStrip(c, main, room.ShareID(presenter), c.m.IDs(), current)
}

// sampleShare shares the whole screen (make screenshots' call-sharing).
func (a *App) sampleShare(c *callState) {
	srcs, err := screen.List()
	if err != nil || len(srcs) == 0 {
		return
	}
	n := 0
	a.startShare(c, srcs[0], a.sourceTitle(srcs[0], &n))
}
