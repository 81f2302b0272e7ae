package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"kaigi/media"
	"kaigi/room/call"
)

// tileStats is what --tile-stats records for benchmarks (bench/window.sh,
// bench/large.sh): pictures drawn per tile and when the first was, the
// roster and the page shown, how long work waited for the UI thread, and
// goroutines (a leak shows in a long call).
type tileStats struct {
	UnixMs     int64            `json:"unix_ms"`
	JoinUnixMs int64            `json:"join_unix_ms"` // Join pressed (the dial began)
	Frames     map[string]int   `json:"frames"`
	First      map[string]int64 `json:"first_unix_ms"` // each tile's first picture
	People     int              `json:"people"`        // the roster, us included
	Page       int              `json:"page"`          // the grid's page shown, from 1
	Pages      int              `json:"pages"`
	Speaker    bool             `json:"speaker"` // speaker view instead of the grid
	// UIWaitMs is the longest any work of the call (a probe every 20 ms
	// among it) waited for the UI thread since the last record;
	// FrameGapMs the longest time between two of the window's frame ticks,
	// when it handled no input and drew nothing: how long the window
	// stalled. FrameTicks counts the ticks since the call began (0: the
	// driver does not tick, and there is no gap to measure).
	UIWaitMs   float64 `json:"ui_wait_ms"`
	FrameGapMs float64 `json:"frame_gap_ms"`
	FrameTicks int64   `json:"frame_ticks"`
	PassMs     float64 `json:"pass_ms"` // the longest pass of the call's work (uirun.go)
	Goroutines int     `json:"goroutines"`
	// Decoded is each remote video as received (media.Decoded): pictures
	// and keyframes decoded, breaks and keyframe requests, and the size
	// of the last picture (the simulcast layer the room sends).
	Decoded map[string]media.Decoded `json:"decoded"`
}

// writeTileStats records the pictures each tile has drawn so far.
func (a *App) writeTileStats(c *callState) {
	if a.state.Call != c {
		return
	}
	st := tileStats{UnixMs: time.Now().UnixMilli(), JoinUnixMs: a.joinStarted.UnixMilli(), Frames: map[string]int{},
		First: map[string]int64{}, People: c.m.Len(), Goroutines: runtime.NumGoroutine()}
	if c.ui != nil {
		w := c.ui.takeWaits()
		st.UIWaitMs, st.FrameGapMs, st.PassMs, st.FrameTicks = ms(w.work), ms(w.gap), ms(w.pass), w.ticks
	}
	if c.remote != nil {
		st.Decoded = map[string]media.Decoded{}
		for id, d := range c.remote.Decoded() {
			if p := c.m.Person(id); p != nil {
				st.Decoded[p.Name] = d
			}
		}
	}
	_, page, pages := call.Page(c.m.IDs(), c.page, pageSize)
	st.Page, st.Pages, st.Speaker = page+1, pages, c.speaker
	for _, p := range c.people {
		st.Frames[p.Name] = p.tile.Frames()
		if f := p.tile.First(); !f.IsZero() {
			st.First[p.Name] = f.UnixMilli()
		}
	}
	data, _ := json.Marshal(st)
	// Written aside and renamed: a reader never sees half a file.
	f, err := os.CreateTemp(filepath.Dir(a.opts.TileStats), "")
	if err != nil {
		return
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil && cerr == nil {
		err = os.Rename(f.Name(), a.opts.TileStats)
	}
	if err != nil {
		_ = os.Remove(f.Name())
	}
}

// probe hands the UI thread an empty piece of work every 20 ms until
// stop closes, so that how long work waits for its pass (takeWaits) is
// measured even when the call has little to do.
func (r *uiRunner) probe(stop <-chan struct{}) {
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			r.do(stop, func() {})
		}
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
