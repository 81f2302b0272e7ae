//go:build linux && cgo

package screen

/*
#cgo pkg-config: x11 xext xfixes xrandr
#include <stdlib.h>
#include "x11.h"
*/
import "C"

import (
	"context"
	"fmt"
	"image"
	"os"
	"strconv"
	"sync"
	"time"
	"unsafe"
)

func platform() error {
	x, err := open()
	if err != nil {
		return err
	}
	C.kaigi_x_close(x)
	return nil
}

func open() (*C.kaigi_x, error) {
	// The name is passed, not left to Xlib's getenv: Go's environment is
	// what the program (and its tests) set.
	name := C.CString(os.Getenv("DISPLAY"))
	defer C.free(unsafe.Pointer(name))
	x := C.kaigi_x_open(name)
	if x == nil {
		return nil, fmt.Errorf("%w: cannot open %q", ErrNoDisplay, os.Getenv("DISPLAY"))
	}
	return x, nil
}

// List lists the monitors (and the whole screen when there are several),
// then the top-level windows, topmost first. Kaigi's own windows are
// listed with Own set.
func List() ([]Source, error) {
	if err := available(os.Getenv); err != nil {
		return nil, err
	}
	x, err := open()
	if err != nil {
		return nil, err
	}
	defer C.kaigi_x_close(x)
	return list(x), nil
}

func list(x *C.kaigi_x) []Source {
	var rw, rh C.int
	C.kaigi_x_root_size(x, &rw, &rh)
	whole := Source{Kind: Monitor, ID: WholeScreen, Rect: image.Rect(0, 0, int(rw), int(rh)), Primary: true}
	var mons [16]C.kaigi_monitor
	n := int(C.kaigi_x_monitors(x, &mons[0], C.int(len(mons))))
	var out []Source
	if n <= 1 {
		out = append(out, whole)
	} else {
		whole.Primary = false
		for i, m := range mons[:n] {
			out = append(out, Source{Kind: Monitor, ID: "monitor:" + strconv.Itoa(i), Title: C.GoString(&m.name[0]),
				Rect: image.Rect(int(m.x), int(m.y), int(m.x+m.w), int(m.y+m.h)), Primary: m.primary != 0})
		}
		out = append(out, whole)
	}
	var wins [256]C.kaigi_window
	n = int(C.kaigi_x_windows(x, &wins[0], C.int(len(wins))))
	for _, w := range wins[:n] {
		out = append(out, Source{Kind: Window, ID: fmt.Sprintf("window:%#x", uint64(w.id)), Title: C.GoString(&w.title[0]),
			Rect: image.Rect(int(w.x), int(w.y), int(w.x+w.w), int(w.y+w.h)), Own: int(w.pid) == os.Getpid(), window: uint64(w.id)})
	}
	return out
}

// area is where src is on the root now, clipped to the screen; for a
// window that closed or was unmapped, ErrWindowClosed.
func area(x *C.kaigi_x, src Source) (image.Rectangle, error) {
	var rw, rh C.int
	if C.kaigi_x_root_size(x, &rw, &rh) == 0 {
		return image.Rectangle{}, fmt.Errorf("%w: the screen", ErrGone)
	}
	screen := image.Rect(0, 0, int(rw), int(rh))
	r := src.Rect
	if src.Kind == Window {
		var wx, wy, ww, wh C.int
		if C.kaigi_x_window_rect(x, C.ulong(src.window), &wx, &wy, &ww, &wh) == 0 {
			return image.Rectangle{}, ErrWindowClosed
		}
		r = image.Rect(int(wx), int(wy), int(wx+ww), int(wy+wh))
	} else if src.ID == WholeScreen {
		r = screen
	}
	r = r.Intersect(screen)
	if r.Empty() {
		if src.Kind == Window {
			return image.Rectangle{}, ErrWindowClosed // moved off screen
		}
		return image.Rectangle{}, fmt.Errorf("%w: %s", ErrGone, src.ID)
	}
	return r, nil
}

// grab copies r of the screen into bgra (resized to fit), cursor drawn in.
// A window is taken from the screen where it is, not from its own
// contents: that works for every window (decorated, partly off screen)
// without a compositor, and shows what covers it, as it is on screen.
func grab(x *C.kaigi_x, r image.Rectangle, cursor bool, bgra []byte) error {
	cur := C.int(0)
	if cursor {
		cur = 1
	}
	rc := C.kaigi_x_grab(x, 0, C.int(r.Min.X), C.int(r.Min.Y), C.int(r.Dx()), C.int(r.Dy()),
		C.int(r.Min.X), C.int(r.Min.Y), cur, (*C.uint8_t)(unsafe.Pointer(&bgra[0])))
	if rc != 0 {
		return fmt.Errorf("screen: capture failed (%d)", int(rc))
	}
	return nil
}

// Thumbnail is a picture of src at most w x h, its shape kept.
func Thumbnail(src Source, w, h int) (*image.RGBA, error) {
	x, err := open()
	if err != nil {
		return nil, err
	}
	defer C.kaigi_x_close(x)
	r, err := area(x, src)
	if err != nil {
		return nil, err
	}
	bgra := make([]byte, r.Dx()*r.Dy()*4)
	if err := grab(x, r, false, bgra); err != nil {
		return nil, err
	}
	box := inside(r.Dx(), r.Dy(), w, h)
	return shrink(bgra, r.Dx(), r.Dy(), box.Dx(), box.Dy()), nil
}

// shrink scales a BGRA picture down to an RGBA one of w x h (area average).
func shrink(bgra []byte, sw, sh, w, h int) *image.RGBA {
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		y0, y1 := y*sh/h, max(y*sh/h+1, (y+1)*sh/h)
		for x := range w {
			x0, x1 := x*sw/w, max(x*sw/w+1, (x+1)*sw/w)
			var b, g, r, n int
			for sy := y0; sy < y1 && sy < sh; sy++ {
				row := bgra[(sy*sw+x0)*4:]
				for sx := 0; sx < x1-x0 && x0+sx < sw; sx++ {
					b += int(row[sx*4])
					g += int(row[sx*4+1])
					r += int(row[sx*4+2])
					n++
				}
			}
			o := out.Pix[y*out.Stride+x*4:]
			o[0], o[1], o[2], o[3] = byte(r/n), byte(g/n), byte(b/n), 255
		}
	}
	return out
}

// Capture is a running capture of one Source: a video source of I420
// frames of a fixed size (the source's when it started, scaled down to
// at most 1920x1080); a window that changes size is fitted in.
type Capture struct {
	src    Source
	w, h   int
	fps    int
	cursor bool

	mu     sync.Mutex
	x      *C.kaigi_x
	bgra   []byte
	tmp    []byte
	next   time.Time
	closed chan struct{}
	once   sync.Once
}

// Open starts capturing src at fps frames a second (1..30).
func Open(src Source, fps int) (*Capture, error) {
	if err := available(os.Getenv); err != nil {
		return nil, err
	}
	x, err := open()
	if err != nil {
		return nil, err
	}
	r, err := area(x, src)
	if err != nil {
		C.kaigi_x_close(x)
		return nil, err
	}
	w, h := fit(r.Dx(), r.Dy())
	return &Capture{src: src, w: w, h: h, fps: max(1, min(fps, 30)), cursor: true, x: x, closed: make(chan struct{})}, nil
}

// Source is what is captured.
func (c *Capture) Source() Source { return c.src }

// Size is the size of the frames.
func (c *Capture) Size() (int, int) { return c.w, c.h }

// FPS is the frame rate.
func (c *Capture) FPS() int { return c.fps }

// ReadFrame waits for the next frame's time and captures it into dst
// (w*h*3/2 bytes of I420). A shared window that closed gives
// ErrWindowClosed.
func (c *Capture) ReadFrame(ctx context.Context, dst []byte) error {
	if len(dst) < c.w*c.h*3/2 {
		return fmt.Errorf("screen: frame buffer of %d bytes, want %d", len(dst), c.w*c.h*3/2)
	}
	now := time.Now()
	if c.next.IsZero() || now.Sub(c.next) > time.Second {
		c.next = now
	}
	if wait := c.next.Sub(now); wait > 0 {
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-c.closed:
			t.Stop()
			return ErrGone
		case <-t.C:
		}
	}
	c.next = c.next.Add(time.Second / time.Duration(c.fps))
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.x == nil {
		return ErrGone
	}
	r, err := area(c.x, c.src)
	if err != nil {
		return err
	}
	if n := r.Dx() * r.Dy() * 4; len(c.bgra) < n {
		c.bgra = make([]byte, n)
	}
	if err := grab(c.x, r, c.cursor, c.bgra); err != nil {
		// The window may have closed between the two requests.
		if _, err2 := area(c.x, c.src); err2 != nil {
			return err2
		}
		return err
	}
	box := inside(r.Dx(), r.Dy(), c.w, c.h)
	if n := box.Dx() * box.Dy() * 4; len(c.tmp) < n {
		c.tmp = make([]byte, n)
	}
	C.kaigi_bgra_to_i420((*C.uint8_t)(unsafe.Pointer(&c.bgra[0])), C.int(r.Dx()), C.int(r.Dy()),
		(*C.uint8_t)(unsafe.Pointer(&dst[0])), C.int(c.w), C.int(c.h),
		C.int(box.Min.X), C.int(box.Min.Y), C.int(box.Dx()), C.int(box.Dy()), (*C.uint8_t)(unsafe.Pointer(&c.tmp[0])))
	return nil
}

// Close stops the capture; a ReadFrame waiting returns.
func (c *Capture) Close() error {
	c.once.Do(func() {
		close(c.closed)
		c.mu.Lock()
		defer c.mu.Unlock()
		C.kaigi_x_close(c.x)
		c.x = nil
	})
	return nil
}

// Find finds a listed source by its ID again.
func Find(id string) (Source, error) {
	srcs, err := List()
	if err != nil {
		return Source{}, err
	}
	for _, s := range srcs {
		if s.ID == id {
			return s, nil
		}
	}
	return Source{}, fmt.Errorf("%w: %s", ErrGone, id)
}
