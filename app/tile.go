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
	pending   *image.RGBA // arrived, not yet on screen
	shown     *image.RGBA // on screen
	spare     *image.RGBA // was on screen; free for the decoder
	scheduled bool
	frames    int   // pictures put on screen, for measurements
	scale     int   // shown small: 1/scale of the picture's size is enough
	pump      *pump // shows the pictures with other tiles' (nil: fyne.Do each)
}

// Scale implements media.ScaledSink.
func (t *videoTile) Scale() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return max(1, t.scale)
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
// on the UI thread: every pass repaints the whole window, so nine videos
// must not cost nine repaints per frame. It wakes when a picture arrives
// and runs at most once per pumpGap: one video is shown frame by frame as
// it comes (no beat against a fixed clock dropping frames), many share
// passes.
type pump struct{ wake chan struct{} }

// pumpGap is the shortest time between passes: a little under a 30 fps
// frame, so that a 30 fps video arriving with some jitter loses no frame.
const pumpGap = time.Second / 36

func newPump() *pump { return &pump{wake: make(chan struct{}, 1)} }

func (p *pump) kick() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// run shows the tiles' pictures (through show, on the UI thread) until done
// closes.
func (p *pump) run(done <-chan struct{}, show func()) {
	var last time.Time
	for {
		select {
		case <-done:
			return
		case <-p.wake:
		}
		if wait := pumpGap - time.Since(last); wait > 0 {
			select {
			case <-done:
				return
			case <-time.After(wait):
			}
		}
		last = time.Now()
		fyne.DoAndWait(show)
	}
}

// SetFrame implements media.VideoSink.
func (t *videoTile) SetFrame(img *image.RGBA) *image.RGBA {
	t.mu.Lock()
	if t.pending != nil {
		// The screen has not taken the last one yet: replace it.
		old := t.pending
		t.pending = img
		t.mu.Unlock()
		return old
	}
	t.pending = img
	reuse := t.spare
	t.spare = nil
	schedule := !t.scheduled && t.pump == nil
	t.scheduled = t.scheduled || schedule
	t.mu.Unlock()
	if schedule {
		fyne.Do(t.show)
	}
	if t.pump != nil {
		t.pump.kick()
	}
	return reuse
}

func (t *videoTile) show() {
	t.mu.Lock()
	img := t.pending
	t.pending = nil
	t.scheduled = false
	if img == nil {
		t.mu.Unlock()
		return
	}
	t.spare, t.shown = t.shown, img
	t.frames++
	t.mu.Unlock()
	t.img.Image = img
	t.img.Refresh()
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
