// A tile's still part (a tile without video) drawn as one picture.

package app

import (
	"image"
	"image/color"
	"image/draw"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/software"
	"fyne.io/fyne/v2/widget"
)

// flatTile shows objects that stay still between frames (a tile without
// video: its background, initials and name tag) as one picture, drawn in
// software once its size has settled. Fyne repaints the whole window at
// every video frame, thirty times a second, and every object is a draw of
// its own: a tile of initials was six draws and ~20 objects to walk at
// each frame; as a picture it is one opaque draw (which Mesa's llvmpipe
// copies on its fast path). The ring, the pin and reactions stay live
// objects above it.
//
// Drawing the picture takes ~3 ms, so it is not done while the tile is
// laid out: until flatDelay after its last change of size (a page turn, a
// window being resized) the tile shows its objects as they are, and the
// picture is kept per person for the screen's next rebuild.
type flatTile struct {
	widget.BaseWidget
	bg      color.Color // under content, filled directly (Fyne's software rectangles are slow)
	content fyne.CanvasObject
	key     any          // what content shows (comparable), for reusing a picture drawn before
	cache   *flatPicture // the person's last picture
	window  fyne.Canvas  // for the scale to draw at

	live  *fyne.Container // bg and content as objects, until the picture is drawn
	img   *canvas.Image
	flat  bool // img shows the picture of the current size
	timer *time.Timer
}

// flatDelay is how long a tile's size must stay before its picture is
// drawn.
const flatDelay = 300 * time.Millisecond

// flatPicture is a picture a flatTile drew, and for what.
type flatPicture struct {
	key   any
	size  fyne.Size
	scale float32
	img   image.Image
}

// newFlatTile shows content over bg, which key describes, as a picture;
// cache keeps the picture for the next tile of the same person (the screen
// is rebuilt whenever anyone's state changes).
func newFlatTile(bg color.Color, content fyne.CanvasObject, key any, cache *flatPicture, window fyne.Canvas) *flatTile {
	f := &flatTile{bg: bg, content: content, key: key, cache: cache, window: window, img: canvas.NewImageFromImage(nil),
		live: container.NewStack(canvas.NewRectangle(bg), content)}
	f.ExtendBaseWidget(f)
	return f
}

// CreateRenderer implements fyne.Widget.
func (f *flatTile) CreateRenderer() fyne.WidgetRenderer { return flatRenderer{f} }

func (f *flatTile) scale() float32 {
	if f.window == nil {
		return 1
	}
	return f.window.Scale()
}

// fits says whether the person's picture is of what f shows at size.
func (f *flatTile) fits(size fyne.Size) bool {
	pc := f.cache
	return pc.img != nil && pc.key == f.key && pc.size == size && pc.scale == f.scale()
}

// layout shows the person's picture if it fits size, else the objects,
// and draws the picture once size has stayed for flatDelay.
func (f *flatTile) layout(size fyne.Size) {
	f.live.Resize(size)
	f.img.Resize(size)
	if f.fits(size) {
		f.showPicture()
		return
	}
	f.flat = false
	if f.timer != nil {
		f.timer.Stop()
	}
	f.timer = time.AfterFunc(flatDelay, func() { fyne.Do(func() { f.drawPicture(size) }) })
}

// drawPicture draws the picture of content at size, if f still is of
// that size and on screen.
func (f *flatTile) drawPicture(size fyne.Size) {
	if f.Size() != size || size.Width < 1 || size.Height < 1 || f.flat || fyne.CurrentApp().Driver().CanvasForObject(f) == nil {
		return
	}
	if !f.fits(size) {
		cv := software.NewTransparentCanvas()
		cv.SetPadded(false)
		cv.SetScale(f.scale())
		cv.SetContent(f.content)
		cv.Resize(size)
		top := cv.Capture()
		out := image.NewRGBA(top.Bounds())
		draw.Draw(out, out.Bounds(), image.NewUniform(f.bg), image.Point{}, draw.Src)
		draw.Draw(out, out.Bounds(), top, top.Bounds().Min, draw.Over)
		*f.cache = flatPicture{key: f.key, size: size, scale: f.scale(), img: out}
	}
	f.showPicture()
	f.Refresh()
}

func (f *flatTile) showPicture() {
	f.flat = true
	if f.img.Image != f.cache.img {
		f.img.Image = f.cache.img
		f.img.Refresh()
	}
}

type flatRenderer struct{ f *flatTile }

func (r flatRenderer) Layout(size fyne.Size) { r.f.layout(size) }
func (r flatRenderer) MinSize() fyne.Size    { return r.f.live.MinSize() }
func (r flatRenderer) Refresh()              { r.f.img.Refresh() }
func (r flatRenderer) Objects() []fyne.CanvasObject {
	if r.f.flat {
		return []fyne.CanvasObject{r.f.img}
	}
	return []fyne.CanvasObject{r.f.live}
}
func (r flatRenderer) Destroy() {
	if r.f.timer != nil {
		r.f.timer.Stop()
	}
}
