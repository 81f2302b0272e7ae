package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"kaigi/room/livekit/livekittest"
)

// TestWindowRunsCallWorkInFrames: in a window (Xvfb, Fyne's GL driver) the
// call's work reaches the UI thread from the frame tick (app/uirun.go), so
// the measurements of --tile-stats see ticks and the gaps between them,
// and our own camera's pictures are drawn through it.
func TestWindowRunsCallWorkInFrames(t *testing.T) {
	srv := livekittest.Start(t, livekittest.Options{})
	tok := livekittest.Token(t, "frames", "tester", "Tester", time.Hour)
	stats := filepath.Join(t.TempDir(), "stats.json")
	startWindowApp(t, "--fake-media", "--skip-lobby", "--name", "Tester", "--tile-stats", stats, srv.URL+"?token="+tok)
	var st struct {
		Frames     map[string]int `json:"frames"`
		FrameGapMs float64        `json:"frame_gap_ms"`
		FrameTicks int64          `json:"frame_ticks"`
	}
	for end := time.Now().Add(40 * time.Second); time.Now().Before(end); time.Sleep(250 * time.Millisecond) {
		b, err := os.ReadFile(stats)
		if err != nil || json.Unmarshal(b, &st) != nil {
			continue
		}
		if st.Frames["Tester"] >= 30 && st.FrameTicks >= 60 && st.FrameGapMs > 0 {
			t.Logf("%d pictures of our camera drawn, %d frame ticks, longest gap in the last 250 ms %.0f ms",
				st.Frames["Tester"], st.FrameTicks, st.FrameGapMs)
			return
		}
	}
	t.Fatalf("after 40 s: %+v; want our camera's pictures drawn and the frame ticks counted", st)
}
