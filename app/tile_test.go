package app

import (
	"image"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
)

// TestPumpedTileQueues: a picture that arrives while the last one still
// waits for its pass is shown at the next pass, not dropped; a third
// replaces the second.
func TestPumpedTileQueues(t *testing.T) {
	tempApp(t)
	pic := func() *image.RGBA { return image.NewRGBA(image.Rect(0, 0, 4, 3)) }
	tile := on(func() *videoTile { return newPumpedTile(newPump()) })
	// show is the pump's pass, on the UI goroutine; it says whether
	// another picture waits and whether p is on screen.
	show := func(p *image.RGBA) (more, shown bool) {
		ui(func() { more = tile.show(); shown = tile.img.Image == p })
		return more, shown
	}
	a, b, c := pic(), pic(), pic()
	tile.SetFrame(a)
	tile.SetFrame(b)
	if more, shown := show(a); !more || !shown {
		t.Fatalf("first pass: more %v, shows a: %v", more, shown)
	}
	if more, shown := show(b); more || !shown {
		t.Fatalf("second pass: more %v, shows b: %v", more, shown)
	}
	tile.SetFrame(a)
	tile.SetFrame(b)
	if old := tile.SetFrame(c); old != b {
		t.Errorf("a third picture should replace the queued one and hand it back")
	}
	show(b)
	if _, shown := show(c); !shown {
		t.Errorf("the newest picture was not shown after the next one")
	}
	if n := tile.Frames(); n != 4 {
		t.Errorf("%d pictures shown, want 4", n)
	}
}

// TestTileDrawSize: the decoder learns the size the picture is drawn at
// and whether it covers the tile.
func TestTileDrawSize(t *testing.T) {
	tempApp(t)
	tile := on(func() *videoTile { return newPumpedTile(newPump()) })
	if w, h, _ := tile.DrawSize(); w != 0 || h != 0 {
		t.Errorf("before layout: %dx%d", w, h)
	}
	ui(func() {
		tile.img.FillMode = canvas.ImageFillCover
		tile.img.Resize(fyne.NewSize(324, 300))
		tile.show()
	})
	if w, h, cover := tile.DrawSize(); w != 324 || h != 300 || !cover {
		t.Errorf("laid out 324x300, covering: DrawSize %dx%d cover %v", w, h, cover)
	}
	ui(func() {
		tile.img.FillMode = canvas.ImageFillContain
		tile.show()
	})
	if _, _, cover := tile.DrawSize(); cover {
		t.Errorf("contained picture reported as covering")
	}
}
