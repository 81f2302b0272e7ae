package app

import (
	"image"
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"

	"kaigi/room"
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

// flatTiles are the flat pictures in what is on screen.
func flatTiles(a *App) []*flatTile {
	var out []*flatTile
	ui(func() {
		walk(a.win.Content(), func(o fyne.CanvasObject) {
			if f, ok := o.(*flatTile); ok {
				out = append(out, f)
			}
		})
	})
	return out
}

// TestFlatTile: a tile without video becomes, once its size has
// settled, one opaque picture of its background, initials and name tag,
// at the tile's size in pixels; a rebuilt screen reuses the picture at
// once, and a change of what it shows (a mute) draws it again.
func TestFlatTile(t *testing.T) {
	a, c := crowdedCall(t, fyne.NewSize(800, 600), 1, "Ken Sato")
	waitFor(t, "Ken's tile", func() bool { return len(flatTiles(a)) == 2 })
	var ken *flatTile
	for _, f := range flatTiles(a) {
		if f.cache == &on(func() *person { return c.people["0"] }).flat {
			ken = f
		}
	}
	if ken == nil {
		t.Fatal("Ken's tile is not a flat picture")
	}
	waitFor(t, "Ken's picture", func() bool { return on(func() bool { return ken.flat }) })
	var img image.Image
	var size fyne.Size
	ui(func() { img, size = ken.img.Image, ken.Size() })
	if img == nil {
		t.Fatal("no picture drawn")
	}
	b := img.Bounds()
	if b.Dx() != int(size.Width) || b.Dy() != int(size.Height) {
		t.Errorf("picture of %v for a tile of %v", b, size)
	}
	// Opaque everywhere (the fast path); the corner is the tile's
	// background, the middle Ken's colour, white letters in the circle.
	opaque, white := true, 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, al := img.At(x, y).RGBA()
			opaque = opaque && al == 0xffff
			if r > 0xf000 && g > 0xf000 && bl > 0xf000 {
				white++
			}
		}
	}
	if !opaque {
		t.Error("the picture has transparent pixels")
	}
	if white < 100 {
		t.Errorf("%d white pixels: no initials or name", white)
	}
	same := func(c1, c2 color.Color) bool {
		r1, g1, b1, _ := c1.RGBA()
		r2, g2, b2, _ := c2.RGBA()
		return r1>>8 == r2>>8 && g1>>8 == g2>>8 && b1>>8 == b2>>8
	}
	if !same(img.At(b.Min.X+2, b.Min.Y+2), tileBackground) {
		t.Errorf("corner %v, want the tile's background", img.At(b.Min.X+2, b.Min.Y+2))
	}
	mid := b.Min.Add(b.Size().Div(2))
	found := false
	for dx := -40; dx <= 40 && !found; dx++ {
		found = same(img.At(mid.X+dx, mid.Y-30), tileColor("0"))
	}
	if !found {
		t.Error("no circle of Ken's colour in the middle")
	}
	// Rebuilt: the same picture, at once.
	ui(a.show)
	rebuilt := false
	for _, f := range flatTiles(a) {
		rebuilt = rebuilt || (f != ken && f.cache == ken.cache && on(func() bool { return f.flat && f.img.Image == img }))
	}
	if !rebuilt {
		t.Error("the rebuilt tile did not show the picture drawn before")
	}
	// Muted: drawn again, with the mark.
	ui(func() { a.onCallEvent(c, room.TrackMuted{ParticipantID: "0", Kind: room.Audio, Muted: true}) })
	waitFor(t, "a new picture for the mute", func() bool {
		for _, f := range flatTiles(a) {
			if f.cache == ken.cache && on(func() bool { return f.img.Image != nil && f.img.Image != img }) {
				return true
			}
		}
		return false
	})
}

// BenchmarkFlatTile: drawing a tile's picture in software (when it is
// built or resized).
func BenchmarkFlatTile(b *testing.B) {
	a, c := crowdedCall(b, fyne.NewSize(1280, 800), 1, "佐藤ゆき")
	waitFor(b, "the tile", func() bool { return len(flatTiles(a)) == 2 })
	ui(func() {
		var f *flatTile
		walk(a.win.Content(), func(o fyne.CanvasObject) {
			if ft, ok := o.(*flatTile); ok && ft.cache == &c.people["0"].flat {
				f = ft
			}
		})
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			f.cache.img, f.flat = nil, false
			f.drawPicture(f.Size())
		}
	})
}
