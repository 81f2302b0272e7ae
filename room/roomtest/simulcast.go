package roomtest

import (
	"context"
	"testing"
	"time"

	"kaigi/internal/race"
	"kaigi/media"
	"kaigi/media/pattern"
	"kaigi/media/tone"
	"kaigi/room"
	"kaigi/room/link"
)

// Simulcast checks that a publisher's camera (640x480) goes out as
// layers: a watcher that shows it small decodes the low layer (its
// decoded size is below 640x480), shown large the full size, each switch
// within switchWithin; and while nobody asks for the top layer, the
// publisher's encoder of it stops (its frame count stands still).
// pauseAfter is how long the server may take to say nobody receives a
// layer (livekit-server debounces it for 5 s); 0 skips that check, for a
// protocol that cannot say it (Galène's). noSimulcast publishes one
// layer: the check must then fail.
func Simulcast(t *testing.T, dial room.Dialer, linkFor func(name string) link.Link, pauseAfter time.Duration, noSimulcast bool) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	local, err := media.NewLocal(media.LocalConfig{Video: pattern.NewSource(640, 480, 30, 9), Audio: tone.NewSource(440),
		NoSimulcast: noSimulcast})
	if err != nil {
		t.Fatal(err)
	}
	defer local.Close()
	pub, err := dial(ctx, room.JoinOptions{Link: linkFor("ann"), Name: "ann", Local: local})
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Leave()
	go func() {
		for range pub.Events() {
		}
	}()

	w := watch(t, ctx, dial, linkFor)
	annID := func() string { return w.id("ann") }
	stats := func() media.PeerStats { return w.stats()["ann"] }
	// waitSize waits until the decoded picture fits want (and frames go
	// on arriving), and says how long that took.
	waitSize := func(what string, fits func(w, h int) bool, within time.Duration) time.Duration {
		start := time.Now()
		deadline := start.Add(within)
		for {
			s := stats()
			if s.VideoFrames > 0 && fits(s.Width, s.Height) {
				return time.Since(start)
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: after %v the picture is %dx%d (%d frames); layers sent: %+v", what, within, s.Width, s.Height, s.VideoFrames, local.LayerStats())
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	large := func(w, h int) bool { return w == 640 && h == 480 }
	small := func(w, h int) bool { return w < 640 && h < 480 }
	deadline := time.Now().Add(20 * time.Second)
	for annID() == "" || stats().VideoFrames < 10 {
		if time.Now().After(deadline) {
			t.Fatalf("ann's video did not arrive: %+v", stats())
		}
		time.Sleep(50 * time.Millisecond)
	}
	switchWithin := time.Second
	if race.Enabled {
		switchWithin = 3 * time.Second
	}
	w.sel.SelectVideo(map[string]room.Quality{annID(): room.QualityHigh})
	waitSize("shown large", large, 5*time.Second)

	w.sel.SelectVideo(map[string]room.Quality{annID(): room.QualityLow})
	took := waitSize("shown small", small, switchWithin)
	s := stats()
	t.Logf("large -> small in %v (%dx%d)", took.Round(time.Millisecond), s.Width, s.Height)

	if pauseAfter > 0 {
		checkPaused(t, local, pauseAfter)
	} else if len(local.LayerStats()) < 2 {
		t.Fatalf("the camera is not sent as layers: %+v", local.LayerStats())
	}

	w.sel.SelectVideo(map[string]room.Quality{annID(): room.QualityHigh})
	took = waitSize("shown large again", large, switchWithin)
	t.Logf("small -> large in %v", took.Round(time.Millisecond))
	cancel()
}

// checkPaused: nobody asks for the top layer now, so after pauseAfter its
// encoder must rest while the low one goes on.
func checkPaused(t *testing.T, local *media.Local, pauseAfter time.Duration) {
	t.Helper()
	time.Sleep(pauseAfter)
	before := local.LayerStats()
	time.Sleep(2 * time.Second)
	after := local.LayerStats()
	t.Logf("layers while shown small: %+v", after)
	if len(after) < 2 {
		t.Fatalf("the camera is not sent as layers: %+v", after)
	}
	top := len(after) - 1
	if n := after[top].Frames - before[top].Frames; n > 1 || !after[top].Paused {
		t.Errorf("nobody receives the top layer, yet its encoder made %d frames in 2 s (paused %v)", n, after[top].Paused)
	}
	if n := after[0].Frames - before[0].Frames; n < race.AtLeast(30) {
		t.Errorf("the low layer is received but made only %d frames in 2 s", n)
	}
}
