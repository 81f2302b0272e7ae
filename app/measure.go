package app

import (
	"encoding/json"
	"os"
	"time"
)

// tileStats is what --tile-stats records: pictures drawn per tile.
type tileStats struct {
	UnixMs int64          `json:"unix_ms"`
	Frames map[string]int `json:"frames"`
}

// writeTileStats records the pictures each tile has drawn so far.
func (a *App) writeTileStats(c *callState) {
	if a.state.Call != c {
		return
	}
	st := tileStats{UnixMs: time.Now().UnixMilli(), Frames: map[string]int{}}
	for _, p := range c.people {
		st.Frames[p.Name] = p.tile.Frames()
	}
	data, _ := json.Marshal(st)
	_ = os.WriteFile(a.opts.TileStats, data, 0o644)
}
