package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"fyne.io/fyne/v2"

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
	// UIWaitMs is the longest any probe waited for the UI thread since
	// the last record: how long the window stalled.
	UIWaitMs   float64 `json:"ui_wait_ms"`
	Goroutines int     `json:"goroutines"`
}

// writeTileStats records the pictures each tile has drawn so far.
func (a *App) writeTileStats(c *callState) {
	if a.state.Call != c {
		return
	}
	st := tileStats{UnixMs: time.Now().UnixMilli(), JoinUnixMs: a.joinStarted.UnixMilli(), Frames: map[string]int{},
		First: map[string]int64{}, People: c.m.Len(), UIWaitMs: float64(a.uiWait.take()) / float64(time.Millisecond),
		Goroutines: runtime.NumGoroutine()}
	_, page, pages := call.Page(c.m.IDs(), c.page, pageSize)
	st.Page, st.Pages = page+1, pages
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

// uiProbe measures how long work handed to the UI thread waits before it
// runs: every 20 ms it hands over an empty function and keeps the longest
// wait. A window that stalls (a long layout, a flood of events) shows here.
type uiProbe struct {
	mu      sync.Mutex
	longest time.Duration
}

func (p *uiProbe) run(done <-chan struct{}) {
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
		}
		posted, ran := time.Now(), make(chan struct{})
		fyne.Do(func() { close(ran) })
		select {
		case <-done:
			return
		case <-ran:
		}
		wait := time.Since(posted)
		p.mu.Lock()
		p.longest = max(p.longest, wait)
		p.mu.Unlock()
	}
}

// take returns the longest wait since the last take.
func (p *uiProbe) take() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	w := p.longest
	p.longest = 0
	return w
}
