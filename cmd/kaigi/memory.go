package main

import (
	"os"
	"runtime/debug"
	"time"
)

// gcPercent is the window's garbage-collector setting: the heap may grow
// by a quarter of what it holds between collections, not Go's default of
// all of it. Most of what the window holds lives for ever (the parsed
// fonts, ~25 MB of a ~50 MB live heap in a call, and noscan: a collection
// hardly reads them), so a larger allowance only bought collections that
// are rarer, at the price of memory. Measured with twelve videos on
// screen (a LiveKit room of 13, the app under Xvfb, 2-4 runs each): peak
// RSS 271-322 MB at 50 against 254-258 MB at 25 and 248-254 at 15, CPU
// 58.9-66.7, 61.2-64.5 and 64.9-66.2 s per minute. (At 100, Go's
// default, a room of 300 peaked at 356 MB against 314 at 50.) GOGC in the
// environment still wins.
const gcPercent = 25

func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
}

// The window hands back the file pages it no longer uses (package
// workingset): the shader compiler's code after a new screen's first
// frames (~45 MB), the gzipped fonts after unpacking. It looks every
// trimPeriod (one read of /proc/self/statm), trims when more than
// trimSlack came back since the last trim, and every trimSweep in any
// case. In a call with four videos the resident file pages grew back by
// ~3 MB within a second of a trim and then stayed: the pages in use come
// back at once, well below the slack. A trim reads the process's memory
// map and brings those pages back with minor faults: a few milliseconds.
//
// The look is frequent because the window's peak comes early: joining
// straight from a link, the shader compiler's ~70 MB of file pages are
// resident 0.3 s after start while the call's own memory is still
// growing. Looking once a second, the trim came at ~1 s, after the peak
// (250-268 MB in a room of 13); every 100 ms, the peak was 192-216 MB.
const (
	trimPeriod = 100 * time.Millisecond
	trimSweep  = 30 * time.Second
	trimSlack  = 32 << 20
)
