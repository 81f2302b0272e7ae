package app

import (
	"encoding/json"
	"os"
	"runtime"
	"time"
)

// tileStats is what --tile-stats records: pictures drawn per tile.
// Goroutines shows a leak in a long call (bench/window.sh's soak).
type tileStats struct {
	UnixMs     int64          `json:"unix_ms"`
	Frames     map[string]int `json:"frames"`
	Goroutines int            `json:"goroutines"`
}

// writeTileStats records the pictures each tile has drawn so far.
func (a *App) writeTileStats(c *callState) {
	if a.state.Call != c {
		return
	}
	st := tileStats{UnixMs: time.Now().UnixMilli(), Frames: map[string]int{}, Goroutines: runtime.NumGoroutine()}
	for _, p := range c.people {
		st.Frames[p.Name] = p.tile.Frames()
	}
	data, _ := json.Marshal(st)
	// Written aside and renamed: a reader never sees half a file.
	tmp := a.opts.TileStats + ".tmp"
	if os.WriteFile(tmp, data, 0o644) == nil {
		_ = os.Rename(tmp, a.opts.TileStats)
	}
}
