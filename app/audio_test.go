package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"kaigi/media"
)

func check(a *App, text string) *widget.Check {
	var found *widget.Check
	ui(func() {
		walk(a.win.Content(), func(o fyne.CanvasObject) {
			if c, ok := o.(*widget.Check); ok && c.Text == text {
				found = c
			}
		})
	})
	return found
}

// TestProcessingToggles: Settings offers echo cancellation and noise
// suppression, on by default; turning one off acts on the running
// processing stage at once and is remembered.
func TestProcessingToggles(t *testing.T) {
	a := newTestApp(t, Options{FakeMedia: true})
	proc, err := media.NewProcessing(a.processingConfig())
	if err != nil {
		t.Skipf("no audio processing here: %v", err)
	}
	defer proc.Close()
	ui(func() { a.proc = proc; a.goTo(ScreenSettings) })
	echo, noise := check(a, "Echo cancellation"), check(a, "Noise suppression")
	if echo == nil || noise == nil {
		t.Fatal("Settings has no echo cancellation or noise suppression switch")
	}
	if on(func() bool { return !echo.Checked || !noise.Checked }) {
		t.Errorf("not on by default: echo %v, noise %v", on(func() bool { return echo.Checked }), on(func() bool { return noise.Checked }))
	}
	ui(func() { test.Tap(noise) })
	if got := proc.Config(); !got.EchoCancel || got.NoiseSuppress || !got.GainControl {
		t.Errorf("after turning noise suppression off, processing runs %+v", got)
	}
	if a.prefs.p.BoolWithFallback(prefNoiseSuppress, true) {
		t.Error("noise suppression off is not remembered")
	}
}
