package app

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// tipDelay is how long the pointer rests on a button before its tooltip
// shows.
const tipDelay = 600 * time.Millisecond

// tipButton is a button with a tooltip (Fyne 2.7 has none of its own): the
// tip shows above the button while the pointer rests on it, and goes when
// the pointer leaves, the button is pressed or the screen is rebuilt.
type tipButton struct {
	widget.Button
	a       *App
	tip     string
	screen  int // a.screens when built: a tip of a replaced screen never shows
	hovered bool
	popup   *widget.PopUp
}

func (a *App) newTipButton(text string, icon fyne.Resource, tip string, tapped func()) *tipButton {
	b := &tipButton{a: a, tip: tip, screen: a.screens}
	b.Text, b.Icon, b.OnTapped = text, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

// MouseIn implements desktop.Hoverable.
func (b *tipButton) MouseIn(e *desktop.MouseEvent) {
	b.Button.MouseIn(e)
	b.hovered = true
	time.AfterFunc(tipDelay, func() { fyne.Do(b.showTip) })
}

// MouseOut implements desktop.Hoverable.
func (b *tipButton) MouseOut() {
	b.Button.MouseOut()
	b.hovered = false
	b.hideTip()
}

// Tapped implements fyne.Tappable.
func (b *tipButton) Tapped(e *fyne.PointEvent) {
	b.hovered = false
	b.hideTip()
	b.Button.Tapped(e)
}

func (b *tipButton) showTip() {
	if !b.hovered || b.popup != nil || !b.Visible() || b.screen != b.a.screens {
		return
	}
	c := fyne.CurrentApp().Driver().CanvasForObject(b)
	if c == nil {
		return
	}
	label := widget.NewLabel(b.tip)
	b.popup = widget.NewPopUp(label, c)
	size := label.MinSize()
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b)
	x := pos.X + (b.Size().Width-size.Width)/2
	x = max(0, min(x, c.Size().Width-size.Width))
	b.popup.ShowAtPosition(fyne.NewPos(x, pos.Y-size.Height-4))
	b.a.tips = append(b.a.tips, b)
}

func (b *tipButton) hideTip() {
	if b.popup != nil {
		b.popup.Hide()
		b.popup = nil
	}
}
