package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// levelMeter is the microphone's level: a thin track, filled from the left
// as loud as the sound is. Silence (or no microphone) shows the empty
// track, never a solid block.
type levelMeter struct {
	widget.BaseWidget
	level float64 // 0..1
	track *canvas.Rectangle
	fill  *canvas.Rectangle
}

func newLevelMeter() *levelMeter {
	m := &levelMeter{track: canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground)),
		fill: canvas.NewRectangle(ringColor)}
	m.track.CornerRadius, m.fill.CornerRadius = 3, 3
	m.ExtendBaseWidget(m)
	return m
}

// SetLevel shows a level from 0 to 1.
func (m *levelMeter) SetLevel(v float64) {
	v = max(0, min(1, v))
	if v == m.level {
		return
	}
	m.level = v
	m.Refresh()
}

func (m *levelMeter) CreateRenderer() fyne.WidgetRenderer { return &meterRenderer{m: m} }

type meterRenderer struct{ m *levelMeter }

func (r *meterRenderer) Layout(size fyne.Size) {
	r.m.track.Resize(size)
	r.m.fill.Resize(fyne.NewSize(size.Width*float32(r.m.level), size.Height))
}
func (r *meterRenderer) MinSize() fyne.Size { return fyne.NewSize(60, 8) }
func (r *meterRenderer) Refresh() {
	r.m.track.FillColor = theme.Color(theme.ColorNameInputBackground)
	r.Layout(r.m.Size())
	canvas.Refresh(r.m)
}
func (r *meterRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.m.track, r.m.fill}
}
func (r *meterRenderer) Destroy() {}
