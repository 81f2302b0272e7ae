package fyne_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"

	"kaigi/media/screen/screentest"
)

// The scene a window draws, at these places (FYNE_SCALE=1: one unit is one
// pixel). Each case is one way a picture or a rectangle is drawn: the
// patch sends the first three pictures and every rectangle without a
// stroke through its plain shaders, and leaves the rounded and the
// translucent picture and the stroked rectangle to Fyne's.
var (
	// An opaque picture, as a video tile shows: every pixel must come out
	// as it went in (orientation, both triangles, no blending residue).
	opaqueAt = image.Rect(10, 10, 10+160, 10+120)
	// A picture that is transparent on its right half, over a green
	// rectangle: the green must show through, unchanged.
	holedAt = image.Rect(200, 10, 200+64, 10+64)
	// The same over the window's background, drawn as a 1x1 texture
	// stretched: a uniform colour image.
	uniformAt = image.Rect(290, 10, 290+40, 10+40)
	// Rounded corners: Fyne's own shader, the corners left as they were.
	roundAt = image.Rect(10, 150, 10+96, 150+96)
	// Half translucent over white: Fyne's own shader, blended.
	halfAt = image.Rect(200, 150, 200+64, 150+64)
	// A half translucent rectangle of one colour over white: the patch's
	// plain rectangle, blended (the white and the other rectangles of the
	// scene are plain rectangles too, and opaque).
	tintAt = image.Rect(290, 150, 290+40, 150+40)
	// A red rectangle with a transparent stroke 4 wide over white: Fyne
	// draws the stroke's band inside the bounds, so white shows there and
	// red only inside it (a stroke is Fyne's to draw, seen or not).
	bandAt = image.Rect(340, 150, 340+40, 150+40)
)

var (
	green      = color.NRGBA{0x10, 0xc0, 0x20, 0xff}
	white      = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	red        = color.RGBA{0xe0, 0x10, 0x10, 0xff}
	background = color.NRGBA{0x20, 0x22, 0x28, 0xff}
	uniformCol = color.RGBA{0x30, 0x60, 0x90, 0xff}
	tint       = color.NRGBA{0x00, 0x00, 0xff, 0x80}
)

// pattern is an opaque picture whose every pixel differs from its
// neighbours and from the same place turned or flipped.
func pattern(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetRGBA(x, y, color.RGBA{uint8(x * 255 / (w - 1)), uint8(y * 255 / (h - 1)), uint8((x*7 + y*13) % 256), 0xff})
		}
	}
	return img
}

// holed is red on its left half and transparent (premultiplied zero) on
// its right.
func holed(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w/2; x++ {
			img.SetRGBA(x, y, red)
		}
	}
	return img
}

// TestMain runs the window when the test starts itself as the window's
// process (Fyne's driver wants the main goroutine).
func TestMain(m *testing.M) {
	if os.Getenv("KAIGI_DRAWTEST_WINDOW") == "1" {
		showScene()
		return
	}
	os.Exit(m.Run())
}

func place(o fyne.CanvasObject, r image.Rectangle) fyne.CanvasObject {
	o.Move(fyne.NewPos(float32(r.Min.X), float32(r.Min.Y)))
	o.Resize(fyne.NewSize(float32(r.Dx()), float32(r.Dy())))
	return o
}

func showScene() {
	a := fyneapp.NewWithID("io.kaigi.drawtest")
	w := a.NewWindow("kaigi drawtest")
	w.SetPadded(false)

	opaque := canvas.NewImageFromImage(pattern(opaqueAt.Dx(), opaqueAt.Dy()))
	opaque.FillMode = canvas.ImageFillCover
	hole := canvas.NewImageFromImage(holed(holedAt.Dx(), holedAt.Dy()))
	uniform := canvas.NewImageFromImage(image.NewUniform(uniformCol))
	uniform.ScaleMode = canvas.ImageScalePixels // unbounded: Fyne must not scale it on the CPU
	round := canvas.NewImageFromImage(pattern(roundAt.Dx(), roundAt.Dy()))
	round.CornerRadius = 24
	half := canvas.NewImageFromImage(pattern(halfAt.Dx(), halfAt.Dy()))
	half.Translucency = 0.5
	banded := canvas.NewRectangle(red)
	banded.StrokeColor, banded.StrokeWidth = color.Transparent, 4

	w.SetContent(container.NewWithoutLayout(
		place(canvas.NewRectangle(background), image.Rect(0, 0, 400, 300)),
		place(opaque, opaqueAt),
		place(canvas.NewRectangle(green), holedAt),
		place(hole, holedAt),
		place(uniform, uniformAt),
		place(round, roundAt),
		place(canvas.NewRectangle(white), halfAt),
		place(half, halfAt),
		place(canvas.NewRectangle(white), tintAt),
		place(canvas.NewRectangle(tint), tintAt),
		place(canvas.NewRectangle(white), bandAt),
		place(banded, bandAt),
	))
	w.Resize(fyne.NewSize(400, 300))
	w.SetFixedSize(true)
	w.ShowAndRun()
}

// TestWindowDrawsImages: a real window (Xvfb, Mesa's software OpenGL, the
// Fyne that the Makefile builds, with third_party/fyne's patches) draws
// each kind of image as it should.
func TestWindowDrawsImages(t *testing.T) {
	for _, tool := range []string{"xdotool", "import"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (make test installs it)", tool)
		}
	}
	screentest.Display(t, 640, 400, false)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	win := exec.Command(self, "-test.run=^$")
	win.Env = append(os.Environ(), "KAIGI_DRAWTEST_WINDOW=1", "FYNE_SCALE=1", "FYNE_THEME=dark")
	out := &strings.Builder{}
	win.Stdout, win.Stderr = out, out
	if err := win.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { win.Process.Kill(); win.Wait() })

	var shot *image.RGBA
	var problems []string
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
		shot = capture(t, "kaigi drawtest")
		if shot == nil {
			continue
		}
		if problems = check(shot); len(problems) == 0 {
			return
		}
	}
	if shot != nil {
		path := filepath.Join(t.TempDir(), "window.png")
		if err := screentest.WritePNG(path, shot); err != nil {
			t.Log(err)
		}
		t.Logf("the window: %s", path)
	}
	win.Process.Kill() // its output is read whole
	win.Wait()
	t.Fatalf("after 30 s the window draws: %s\n(window's output: %s)", strings.Join(problems, "; "), out)
}

// capture is the window titled title as drawn, or nil while it is not.
func capture(t *testing.T, title string) *image.RGBA {
	id, err := exec.Command("xdotool", "search", "--onlyvisible", "--name", title).Output()
	if err != nil || len(bytes.Fields(id)) == 0 {
		return nil
	}
	data, err := exec.Command("import", "-window", string(bytes.Fields(id)[0]), "png:-").Output()
	if err != nil {
		return nil
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("import's picture: %v", err)
	}
	rgba := image.NewRGBA(img.Bounds())
	draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
	return rgba
}

// check says what in shot is not as drawn.
func check(shot *image.RGBA) []string {
	var problems []string
	wrong := func(what string, at image.Rectangle, want func(x, y int) color.RGBA, slack int) {
		bad, first := 0, ""
		for y := at.Min.Y; y < at.Max.Y; y++ {
			for x := at.Min.X; x < at.Max.X; x++ {
				got, w := shot.RGBAAt(x, y), want(x, y)
				if !near(got, w, slack) {
					if bad == 0 {
						first = fmt.Sprintf("(%d,%d) is %v, want %v", x, y, got, w)
					}
					bad++
				}
			}
		}
		if bad > 0 {
			problems = append(problems, fmt.Sprintf("%s: %d of %d pixels wrong, first %s", what, bad, at.Dx()*at.Dy(), first))
		}
	}
	if !shot.Bounds().Eq(image.Rect(0, 0, 400, 300)) {
		return []string{fmt.Sprintf("the window is %v, want 400x300", shot.Bounds().Size())}
	}
	src := pattern(opaqueAt.Dx(), opaqueAt.Dy())
	wrong("the opaque picture", opaqueAt, func(x, y int) color.RGBA { return src.RGBAAt(x-opaqueAt.Min.X, y-opaqueAt.Min.Y) }, 0)
	mid := holedAt.Min.X + holedAt.Dx()/2
	wrong("the holed picture's opaque half", image.Rect(holedAt.Min.X, holedAt.Min.Y, mid, holedAt.Max.Y),
		func(int, int) color.RGBA { return red }, 0)
	wrong("the green under the holed picture's transparent half", image.Rect(mid, holedAt.Min.Y, holedAt.Max.X, holedAt.Max.Y),
		func(int, int) color.RGBA { return rgba(green) }, 0)
	wrong("the uniform image", uniformAt, func(int, int) color.RGBA { return uniformCol }, 0)
	// Rounded: well inside, the picture; the corner pixel, the background.
	rsrc := pattern(roundAt.Dx(), roundAt.Dy())
	inner := roundAt.Inset(24)
	wrong("the rounded picture's inside", inner, func(x, y int) color.RGBA { return rsrc.RGBAAt(x-roundAt.Min.X, y-roundAt.Min.Y) }, 0)
	wrong("the rounded picture's corners", image.Rect(roundAt.Min.X, roundAt.Min.Y, roundAt.Min.X+3, roundAt.Min.Y+3),
		func(int, int) color.RGBA { return rgba(background) }, 0)
	// Half translucent over white: half of each, within rounding.
	hsrc := pattern(halfAt.Dx(), halfAt.Dy())
	wrong("the half translucent picture", halfAt, func(x, y int) color.RGBA {
		c := hsrc.RGBAAt(x-halfAt.Min.X, y-halfAt.Min.Y)
		return color.RGBA{uint8((int(c.R) + 255) / 2), uint8((int(c.G) + 255) / 2), uint8((int(c.B) + 255) / 2), 0xff}
	}, 2)
	wrong("the half translucent rectangle", tintAt, func(int, int) color.RGBA { return color.RGBA{0x7f, 0x7f, 0xff, 0xff} }, 2)
	wrong("inside the transparent stroke", bandAt.Inset(5), func(int, int) color.RGBA { return red }, 0)
	wrong("the transparent stroke's band", image.Rect(bandAt.Min.X, bandAt.Min.Y, bandAt.Max.X, bandAt.Min.Y+3),
		func(int, int) color.RGBA { return rgba(white) }, 0)
	return problems
}

func rgba(c color.NRGBA) color.RGBA { return color.RGBA{c.R, c.G, c.B, c.A} }

func near(a, b color.RGBA, slack int) bool {
	d := func(x, y uint8) bool { return int(x)-int(y) <= slack && int(y)-int(x) <= slack }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B)
}
