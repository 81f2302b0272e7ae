package roomtest

import (
	"context"
	"image"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"kaigi/media"
	"kaigi/media/screen"
	"kaigi/media/screen/screentest"
	"kaigi/room"
	"kaigi/room/link"
)

// ShareFPS is the frame rate the share check captures at.
const ShareFPS = 5

// lastFrame is a video sink that keeps the newest picture.
type lastFrame struct {
	mu  sync.Mutex
	img *image.RGBA
	n   int
}

func (l *lastFrame) SetFrame(img *image.RGBA) *image.RGBA {
	l.mu.Lock()
	defer l.mu.Unlock()
	old := l.img
	l.img = img
	l.n++
	return old
}

func (l *lastFrame) get() (*image.RGBA, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.img == nil {
		return nil, l.n
	}
	c := *l.img
	c.Pix = append([]byte(nil), l.img.Pix...)
	return &c, l.n
}

// ShareResult is what the share check measured.
type ShareResult struct {
	FirstPicture time.Duration // from Share (listing the screens) to the first picture at the receiver
	Published    time.Duration // from Share to StartShare's return
	FirstSent    time.Duration // from Share to the first frame sent
	Width        int
	Height       int
	Text         string // OCR of the received picture
}

// ScreenShare checks room.Sharer on a real server: under Xvfb (w x h) a
// known page of text (Latin, Japanese, Chinese, several sizes) fills the
// screen; "ann" joins with the synthetic camera and shares the screen; a
// watcher receives the share apart from her camera (room.ShareID), and
// OCR of the picture it received finds every word of the page. Ann then
// stops sharing (the watcher sees it end) and shares again (the watcher
// gets pictures again).
func ScreenShare(t *testing.T, dial room.Dialer, linkFor func(name string) link.Link, w, h int) ShareResult {
	t.Helper()
	screentest.Display(t, w, h, false)
	page, err := screentest.Render(w, h)
	if err != nil {
		t.Fatal(err)
	}
	screentest.ShowFull(t, page)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	local, err := media.NewFakeLocal(640, 480, 30, 440)
	if err != nil {
		t.Fatal(err)
	}
	defer local.Close()
	ann, err := dial(ctx, room.JoinOptions{Link: linkFor("ann"), Name: "ann", Local: local})
	if err != nil {
		t.Fatal(err)
	}
	defer ann.Leave()
	go func() {
		for range ann.Events() {
		}
	}()
	sharer, ok := ann.(room.Sharer)
	if !ok {
		t.Fatalf("%T is not a room.Sharer", ann)
	}

	remote, err := media.NewRemote(media.RemoteConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer remote.Close()
	sink := &lastFrame{}
	remote.SetVideoSink(room.ShareID(ann.Self().ID), sink)
	watcher, err := dial(ctx, room.JoinOptions{Link: linkFor("watcher"), Name: "watcher", Remote: remote})
	if err != nil {
		t.Fatal(err)
	}
	defer watcher.Leave()
	shares := make(chan room.Event, 16)
	go func() {
		for ev := range watcher.Events() {
			switch e := ev.(type) {
			case room.ShareStarted, room.ShareEnded:
				shares <- e
			}
		}
	}()
	expect := func(want string) {
		t.Helper()
		select {
		case ev := <-shares:
			var who string
			switch e := ev.(type) {
			case room.ShareStarted:
				who = e.ParticipantID
				if want != "started" {
					t.Fatalf("got %+v, want a share %s", ev, want)
				}
			case room.ShareEnded:
				who = e.ParticipantID
				if want != "ended" {
					t.Fatalf("got %+v, want a share %s", ev, want)
				}
			}
			if who != ann.Self().ID {
				t.Errorf("share of %q, want ann's %q", who, ann.Self().ID)
			}
		case <-time.After(15 * time.Second):
			t.Fatalf("the watcher saw no share %s", want)
		}
	}
	var published time.Time
	startShare := func() *media.Share {
		t.Helper()
		srcs, err := screen.List()
		if err != nil {
			t.Fatal(err)
		}
		capture, err := screen.Open(srcs[0], ShareFPS)
		if err != nil {
			t.Fatal(err)
		}
		share, err := media.NewShare(media.ShareConfig{Source: capture})
		if err != nil {
			t.Fatal(err)
		}
		if err := sharer.StartShare(share); err != nil {
			share.Close()
			t.Fatal(err)
		}
		published = time.Now()
		return share
	}
	framesAfter := func(n int, within time.Duration) *image.RGBA {
		t.Helper()
		deadline := time.Now().Add(within)
		for {
			img, got := sink.get()
			if got >= n && img != nil {
				return img
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d share pictures arrived, want %d", got, n)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	var res ShareResult
	started := time.Now()
	share := startShare()
	expect("started")
	framesAfter(1, 15*time.Second)
	res.FirstPicture = time.Since(started)
	res.Published = published.Sub(started)
	res.FirstSent = share.Stats().FirstFrame.Sub(started)
	// A few seconds for the bitrate to grow and the page to sharpen.
	time.Sleep(4 * time.Second)
	img, n := sink.get()
	res.Width, res.Height = img.Rect.Dx(), img.Rect.Dy()
	if res.Width != w || res.Height != h {
		t.Errorf("received %dx%d, want the screen's %dx%d", res.Width, res.Height, w, h)
	}
	var missing []string
	res.Text, missing = screentest.ReadPage(t, img)
	if dir := os.Getenv("KAIGI_SHARE_SAVE"); dir != "" {
		_ = screentest.WritePNG(filepath.Join(dir, "received.png"), img)
	}
	if len(missing) > 0 {
		saved := filepath.Join(os.TempDir(), "kaigi-share-received.png")
		_ = screentest.WritePNG(saved, img)
		t.Errorf("OCR of the received share misses %q (read %q; the picture is %s)", missing, res.Text, saved)
	}
	var camera int
	for _, s := range remote.Stats() {
		if s.ParticipantID == ann.Self().ID {
			camera = s.VideoFrames
		}
	}
	if camera < 30 {
		t.Errorf("ann's camera: %d frames while she shared", camera)
	}

	// Stop, then share again.
	if err := sharer.StopShare(); err != nil {
		t.Errorf("StopShare: %v", err)
	}
	share.Close()
	expect("ended")
	share = startShare()
	defer share.Close()
	expect("started")
	framesAfter(n+5, 15*time.Second)
	return res
}
