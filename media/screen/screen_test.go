package screen_test

import (
	"context"
	"errors"
	"image"
	"strings"
	"testing"
	"time"

	"kaigi/media/screen"
	"kaigi/media/screen/screentest"
	"kaigi/media/yuv"
)

// frame reads one frame of c as RGBA.
func frame(t *testing.T, c *screen.Capture) *image.RGBA {
	t.Helper()
	w, h := c.Size()
	buf := make([]byte, w*h*3/2)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.ReadFrame(ctx, buf); err != nil {
		t.Fatal(err)
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	var conv yuv.Converter
	conv.ToRGBA(img, yuv.FromI420(buf, w, h))
	return img
}

// TestMonitorText: the whole screen, with the page of text on it, is
// captured at its size and OCR reads every line of it back.
func TestMonitorText(t *testing.T) {
	screentest.Display(t, 1280, 720, false)
	page, err := screentest.Render(1280, 720)
	if err != nil {
		t.Fatal(err)
	}
	screentest.ShowFull(t, page)
	srcs, err := screen.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) == 0 || srcs[0].Kind != screen.Monitor || srcs[0].Rect.Dx() != 1280 {
		t.Fatalf("sources %+v", srcs)
	}
	c, err := screen.Open(srcs[0], 10)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if w, h := c.Size(); w != 1280 || h != 720 {
		t.Fatalf("size %dx%d", w, h)
	}
	got := frame(t, c)
	if _, missing := screentest.ReadPage(t, got); len(missing) > 0 {
		screentest.WritePNG("/tmp/monitor-fail.png", got)
		t.Errorf("OCR of the capture misses %q", missing)
	}
	thumb, err := screen.Thumbnail(srcs[0], 160, 160)
	if err != nil {
		t.Fatal(err)
	}
	if thumb.Rect.Dx() != 160 || thumb.Rect.Dy() != 90 {
		t.Errorf("thumbnail %v", thumb.Rect)
	}
}

// TestWindow: a window is listed with its title, captured, and its
// capture ends with ErrWindowClosed when it closes.
func TestWindow(t *testing.T) {
	screentest.Display(t, 1280, 720, true)
	page, err := screentest.Render(900, 420)
	if err != nil {
		t.Fatal(err)
	}
	win := screentest.ShowWindow(t, page, "Shared page")
	var src screen.Source
	for i := 0; i < 50 && src.ID == ""; i++ {
		srcs, err := screen.List()
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range srcs {
			if s.Kind == screen.Window && strings.Contains(s.Title, "Shared page") {
				src = s
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	if src.ID == "" {
		t.Fatal("the window is not listed")
	}
	if src.Own {
		t.Error("another program's window is marked as ours")
	}
	c, err := screen.Open(src, 5)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if w, h := c.Size(); w != 900 || h != 420 {
		t.Errorf("size %dx%d, want the window's 900x420", w, h)
	}
	if _, missing := screentest.ReadPage(t, frame(t, c)); len(missing) > 0 {
		t.Errorf("OCR of the window misses %q", missing)
	}
	win.Process.Kill()
	win.Wait()
	w, h := c.Size()
	buf := make([]byte, w*h*3/2)
	deadline := time.Now().Add(5 * time.Second)
	for {
		err := c.ReadFrame(context.Background(), buf)
		if errors.Is(err, screen.ErrWindowClosed) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the window closed: %v", err)
		}
	}
}

// TestCloseWakesReader: Close ends a ReadFrame that waits.
func TestCloseWakesReader(t *testing.T) {
	screentest.Display(t, 640, 480, false)
	srcs, err := screen.List()
	if err != nil {
		t.Fatal(err)
	}
	c, err := screen.Open(srcs[0], 1)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 640*480*3/2)
	if err := c.ReadFrame(context.Background(), buf); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- c.ReadFrame(context.Background(), buf) }()
	time.Sleep(100 * time.Millisecond)
	c.Close()
	select {
	case err := <-done:
		if err == nil {
			t.Error("ReadFrame after Close returned no error")
		}
	case <-time.After(2 * time.Second):
		t.Fatal("ReadFrame did not return after Close")
	}
}
