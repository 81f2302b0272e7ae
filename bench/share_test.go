package bench

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"testing"
	"time"

	"kaigi/headless"
	"kaigi/internal/race"
	"kaigi/media/screen/screentest"
	"kaigi/room/link"
	"kaigi/room/livekit"
	"kaigi/room/livekit/livekittest"
)

// TestBrowserScreenShare: Kaigi shares a screen (a page of text under
// Xvfb) and Chromium, on livekit-client, receives it as a screen-share
// track; Chromium shares its screen (getDisplayMedia) and Kaigi receives
// it as a share, apart from Chromium's camera.
func TestBrowserScreenShare(t *testing.T) {
	dir := preparePage(t)
	screentest.Display(t, 1280, 720, false)
	page, err := screentest.Render(1280, 720)
	if err != nil {
		t.Fatal(err)
	}
	screentest.ShowFull(t, page)
	// The pointer moves over the page: a still screen sends a frame a
	// second only.
	stopPointer := make(chan struct{})
	defer close(stopPointer)
	go func() {
		for i := 0; ; i++ {
			select {
			case <-stopPointer:
				return
			case <-time.After(100 * time.Millisecond):
			}
			_ = exec.Command("xdotool", "mousemove", fmt.Sprint(100+(i*37)%1000), fmt.Sprint(100+(i*13)%500)).Run()
		}
	}()
	srv := livekittest.Start(t, livekittest.Options{})
	web := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer web.Close()

	q := url.Values{"url": {srv.URL}, "token": {livekittest.Token(t, "share", "chromium", "Chromium", time.Hour)}, "share": {"1"}}
	browser := startBrowser(t, dir, web.URL+"/index.html?"+q.Encode(), "14")
	tok := livekittest.Token(t, "share", "kaigi", "Kaigi", time.Hour)
	l := link.Link{Kind: link.LiveKit, ServerURL: srv.URL, Token: tok, URL: srv.URL}
	res, err := headless.Run(context.Background(), headless.Options{Link: l, Name: "Kaigi", Duration: 12 * time.Second,
		Share: "screen", ShareFPS: 5, Dial: livekit.Dial})
	if err != nil {
		t.Fatalf("Kaigi: %v", err)
	}
	st := <-browser
	t.Logf("Kaigi saw %+v, sent share %+v", res.Peers, res.Share)
	t.Logf("Chromium saw frames %v", st.Frames)
	if st.Error != "" {
		t.Fatalf("Chromium: %s", st.Error)
	}
	if res.Share == nil || res.Share.Error != "" || res.Share.Frames < race.AtLeast(20) {
		t.Errorf("Kaigi's share: %+v", res.Share)
	}
	if st.Frames["kaigi/screen"] < race.AtLeast(10) {
		t.Errorf("Chromium showed %d frames of Kaigi's share as a screen share", st.Frames["kaigi/screen"])
	}
	if st.Frames["kaigi"] < race.AtLeast(100) {
		t.Errorf("Chromium showed %d frames of Kaigi's camera", st.Frames["kaigi"])
	}
	var camera, share int
	for _, p := range res.Peers {
		switch {
		case p.ScreenOf == "chromium":
			share = p.VideoFrames
		case p.ID == "chromium":
			camera = p.VideoFrames
		}
	}
	if share < race.AtLeast(20) || camera < race.AtLeast(50) {
		t.Errorf("Kaigi decoded %d frames of Chromium's screen share and %d of its camera", share, camera)
	}
}
