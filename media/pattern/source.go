package pattern

import (
	"context"
	"time"

	"kaigi/media/pace"
)

// Source is a paced synthetic camera: ReadFrame returns the next frame at
// its frame rate.
type Source struct {
	w, h, fps int
	hue       uint8
	n         uint32
	clock     pace.Clock
}

// NewSource makes a w x h (even sizes) synthetic camera at fps, tinted by hue.
func NewSource(w, h, fps int, hue uint8) *Source {
	return &Source{w: w &^ 1, h: h &^ 1, fps: fps, hue: hue}
}

// Size is the picture size.
func (s *Source) Size() (int, int) { return s.w, s.h }

// FPS is the frame rate.
func (s *Source) FPS() int { return s.fps }

// ReadFrame waits for the next frame time and draws the frame into dst
// (I420, w*h*3/2 bytes), stamped with its counter and that time.
func (s *Source) ReadFrame(ctx context.Context, dst []byte) error {
	if err := s.clock.Wait(ctx, time.Second/time.Duration(s.fps)); err != nil {
		return err
	}
	Draw(dst, s.w, s.h, s.n, s.hue, Stamp{Counter: s.n, Millis: MillisOf(time.Now())})
	s.n++
	return nil
}

// Close does nothing; a synthetic camera holds no device.
func (s *Source) Close() error { return nil }
