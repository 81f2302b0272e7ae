package app

import (
	"encoding/json"
	"os"
	"path/filepath"
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
