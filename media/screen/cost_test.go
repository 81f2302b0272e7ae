package screen_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
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

// TestShareCost measures sharing a 1920x1080 screen of text at 5, 10 and
// 15 fps: the CPU of capture and encoding (this process; the X server's
// own copy is not counted), frames and bitrate, for a still page with the
// pointer moving, and for a page that changes twice a second (slides,
// scrolling). KAIGI_SHARE_COST=1 runs it (about a minute and a half).
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
	// The second page: the same text, lower down.
	moved, err := screentest.Render(1920, 1080)
	if err != nil {
		t.Fatal(err)
	}
	copy(moved.Pix[200*moved.Stride:], page.Pix[:len(page.Pix)-200*page.Stride])
	srcs, err := screen.List()
	if err != nil {
		t.Fatal(err)
	}
	measure := func(what string, fps int, change func(stop <-chan struct{})) {
		c, err := screen.Open(srcs[0], fps)
		if err != nil {
			t.Fatal(err)
		}
		share, err := media.NewShare(media.ShareConfig{Source: c})
		if err != nil {
			t.Fatal(err)
		}
		stop := make(chan struct{})
		go change(stop)
		time.Sleep(2 * time.Second)
		s0, t0, w0 := share.Stats(), cpuTime(), time.Now()
		time.Sleep(8 * time.Second)
		s1, t1, w1 := share.Stats(), cpuTime(), time.Now()
		close(stop)
		share.Close()
		wall := w1.Sub(w0).Seconds()
		frames := s1.Frames - s0.Frames
		t.Logf("%s, 1920x1080 at %d fps: %.0f%% of a core (%.0f ms a frame), %.1f frames/s, %.0f kbit/s at a target of %d",
			what, fps, 100*(t1-t0).Seconds()/wall, (t1-t0).Seconds()*1000/float64(max(1, frames)), float64(frames)/wall,
			float64(s1.Bytes-s0.Bytes)*8/1000/wall, share.Bitrate()/1000)
	}
	pointer := func(stop <-chan struct{}) {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
			}
			_ = exec.Command("xdotool", "mousemove", fmt.Sprint(200+(i*17)%1500), fmt.Sprint(300+(i*7)%500)).Run()
		}
	}
	for _, fps := range []int{5, 10, 15} {
		measure("still page, pointer moving", fps, pointer)
	}
	win := screentest.ShowWindowAt(t, moved, "Kaigi moved page", "+0+0")
	_ = win
	slides := func(stop <-chan struct{}) {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(500 * time.Millisecond):
			}
			name := []string{"Kaigi test page", "Kaigi moved page"}[i%2]
			_ = exec.Command("xdotool", "search", "--name", name, "windowraise").Run()
		}
	}
	for _, fps := range []int{5, 15} {
		measure("page changing twice a second", fps, slides)
	}
	_ = context.Background
}
