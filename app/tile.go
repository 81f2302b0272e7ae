package app

import (
	"image"
	"image/color"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
)

// videoTile shows one participant's video. It is a media.VideoSink: the
// decoder hands it the newest picture from its own goroutine, the picture
// reaches the screen through fyne.Do, and frames that arrive faster than
// the screen draws are dropped (newest only). It outlives screen rebuilds,
// so a language switch does not interrupt video.
type videoTile struct {
	img *canvas.Image

	mu        sync.Mutex
	pending   *image.RGBA   // arrived, next on screen
	queued    *image.RGBA   // arrived after pending (pumped tiles only)
	shown     *image.RGBA   // on screen
	free      []*image.RGBA // were on screen; for the decoder to fill again (at most maxFree)
	scheduled bool
	frames    int       // pictures put on screen, for measurements
	first     time.Time // when the first of them was
	scale     int       // shown small: 1/scale of the picture's size is enough
	pump      *pump     // shows the pictures with other tiles' (nil: fyne.Do each)
	// The size the picture is drawn at, in pixels, and whether it covers
	// the tile (cropped) or is contained: the decoder converts to it.
	drawW, drawH int
	cover        bool
	laidOut      fyne.Size // t.img's size when drawW, drawH were found
}

// Scale implements media.ScaledSink.
func (t *videoTile) Scale() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return max(1, t.scale)
}

// DrawSize implements media.SizedSink.
func (t *videoTile) DrawSize() (w, h int, cover bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.drawW, t.drawH, t.cover
}

// measure notes the size the picture is drawn at (on the UI thread, where
// the layout is).
func (t *videoTile) measure() {
	size := t.img.Size()
	cover := t.img.FillMode == canvas.ImageFillCover
	t.mu.Lock()
	same := size == t.laidOut && cover == t.cover
	t.mu.Unlock()
	if same {
		return
	}
	scale := float32(1)
	if a := fyne.CurrentApp(); a != nil {
		if c := a.Driver().CanvasForObject(t.img); c != nil {
			scale = c.Scale()
		}
	}
	t.mu.Lock()
	t.laidOut, t.cover = size, cover
	t.drawW, t.drawH = int(size.Width*scale+0.5), int(size.Height*scale+0.5)
	t.mu.Unlock()
}

func (t *videoTile) setScale(n int) {
	t.mu.Lock()
	t.scale = n
	t.mu.Unlock()
}

func newVideoTile() *videoTile {
	img := canvas.NewImageFromImage(image.NewRGBA(image.Rect(0, 0, 16, 9)))
	img.FillMode = canvas.ImageFillContain
	img.ScaleMode = canvas.ImageScaleFastest // Smooth resamples on the CPU every frame
	return &videoTile{img: img}
}

// newPumpedTile is a tile whose pictures p shows.
func newPumpedTile(p *pump) *videoTile {
	t := newVideoTile()
	t.pump = p
	return t
}

// pump puts the new pictures of many tiles on screen together, in one pass
// on the UI thread: every pass repaints the whole window (Fyne has no
// partial repaint), so nine videos must not cost nine repaints per frame,
// nor one video more repaints than it has frames. Passes follow a clock of
// pumpGap while pictures come, and stop when none do.
type pump struct{ wake chan struct{} }

// pumpGap is the time between passes: one 30 fps frame. A picture that
// arrives early, while the last one still waits for its pass, waits in
// the tile's queue for the next pass, so jitter costs no frame.
const pumpGap = time.Second / 30

func newPump() *pump { return &pump{wake: make(chan struct{}, 1)} }

func (p *pump) kick() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// run shows the tiles' pictures (through show, which onUI runs on the UI
// thread and waits for) until done closes. show says whether a tile has
// another picture queued.
func (p *pump) run(done <-chan struct{}, onUI func(func()) bool, show func() (more bool)) {
	var next time.Time
	for {
		select {
		case <-done:
			return
		case <-p.wake:
		}
		// On the clock, not gap after gap: late wake-ups (a busy
		// machine) must not slow the rate below the videos'.
		now := time.Now()
		if next.Before(now.Add(-pumpGap)) {
			next = now // idle for a while: start a new clock
		}
		if wait := next.Sub(now); wait > 0 {
			select {
			case <-done:
				return
			case <-time.After(wait):
			}
		}
		next = next.Add(pumpGap)
		var more bool
		if !onUI(func() { more = show() }) {
			return
		}
		if more {
			p.kick()
		}
	}
}

// SetFrame implements media.VideoSink.
func (t *videoTile) SetFrame(img *image.RGBA) *image.RGBA {
	t.mu.Lock()
	if t.pending != nil && t.pump != nil {
		// The next pass takes pending; this one follows it, replacing
		// one that waits already (a queue of one frame of jitter).
		old := t.queued
		t.queued = img
		if old == nil {
			old = t.takeFree()
		}
		t.mu.Unlock()
		t.pump.kick()
		return old
	}
	if t.pending != nil {
		// The screen has not taken the last one yet: replace it.
		old := t.pending
		t.pending = img
		t.mu.Unlock()
		return old
	}
	t.pending = img
	reuse := t.takeFree()
	schedule := !t.scheduled && t.pump == nil
	t.scheduled = t.scheduled || schedule
	t.mu.Unlock()
	if schedule {
		fyne.Do(func() { t.show() })
	}
	if t.pump != nil {
		t.pump.kick()
	}
	return reuse
}

// maxFree is how many pictures a tile keeps for the decoder to fill again.
// A picture handed back is one the decoder does not allocate: with one, a
// frame that came while another waited for the screen found none, and a
// 640x480 tile allocated 1.2 MB for a tenth of its frames (12 MB/s of
// garbage with twelve videos, measured).
const maxFree = 2

// takeFree is a picture to fill again, or nil (t.mu held).
func (t *videoTile) takeFree() *image.RGBA {
	n := len(t.free)
	if n == 0 {
		return nil
	}
	img := t.free[n-1]
	t.free[n-1] = nil
	t.free = t.free[:n-1]
	return img
}

// show puts the next picture on screen, if one came; it says whether
// another waits.
func (t *videoTile) show() (more bool) {
	t.measure()
	t.mu.Lock()
	img := t.pending
	t.pending, t.queued = t.queued, nil
	more = t.pending != nil
	t.scheduled = false
	if img == nil {
		t.mu.Unlock()
		return more
	}
	if t.shown != nil && len(t.free) < maxFree {
		t.free = append(t.free, t.shown)
	}
	t.shown = img
	if t.frames == 0 {
		t.first = time.Now()
	}
	t.frames++
	t.mu.Unlock()
	t.img.Image = img
	t.img.Refresh()
	return more
}

// hasPicture says whether any picture arrived.
func (t *videoTile) hasPicture() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.shown != nil
}

// Frames counts pictures put on screen.
func (t *videoTile) Frames() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.frames
}

// First is when the first picture was put on screen (zero: none yet).
func (t *videoTile) First() time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.first
}

// tileColor gives each person a stable colour for their initials.
func tileColor(id string) color.Color {
	palette := []color.NRGBA{{0x25, 0x63, 0xeb, 0xff}, {0x7c, 0x3a, 0xed, 0xff}, {0x05, 0x96, 0x69, 0xff},
		{0xd9, 0x77, 0x06, 0xff}, {0xdb, 0x27, 0x77, 0xff}, {0x08, 0x91, 0xb2, 0xff}}
	h := 0
	for _, c := range id {
		h = h*31 + int(c)
	}
	if h < 0 {
		h = -h
	}
	return palette[h%len(palette)]
}
