package pattern

import (
	"context"
	"time"
)

// Source is a paced synthetic camera: ReadFrame returns the next frame at
// its frame rate.
type Source struct {
	w, h, fps int
	hue       uint8
	n         uint32
	next      time.Time
	now       func() time.Time
}

// NewSource makes a w x h (even sizes) synthetic camera at fps, tinted by hue.
func NewSource(w, h, fps int, hue uint8) *Source {
	return &Source{w: w &^ 1, h: h &^ 1, fps: fps, hue: hue, now: time.Now}
}

// Size is the picture size.
func (s *Source) Size() (int, int) { return s.w, s.h }

// FPS is the frame rate.
func (s *Source) FPS() int { return s.fps }

// ReadFrame waits for the next frame time and draws the frame into dst
// (I420, w*h*3/2 bytes), stamped with its counter and that time.
func (s *Source) ReadFrame(ctx context.Context, dst []byte) error {
	period := time.Second / time.Duration(s.fps)
	now := s.now()
	if s.next.IsZero() || now.Sub(s.next) > time.Second {
		s.next = now
	}
	if d := s.next.Sub(now); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
	s.next = s.next.Add(period)
	Draw(dst, s.w, s.h, s.n, s.hue, Stamp{Counter: s.n, Millis: MillisOf(s.now())})
	s.n++
	return nil
}

// Close does nothing; a synthetic camera holds no device.
func (s *Source) Close() error { return nil }
