package app

import (
	"testing"

	"fyne.io/fyne/v2"
)

// The UI thread's work for a page turn in a 300-person call (the stage
// alone) against a rebuild of the whole call screen, with Fyne's test
// driver: building, measuring and laying out, not painting (make bench).
func BenchmarkPageTurn(b *testing.B) {
	benchCallScreen(b, func(a *App, c *callState) { pageTurn(a, c) })
}
func BenchmarkScreenBuild(b *testing.B) { benchCallScreen(b, func(a *App, c *callState) { a.show() }) }

// pageTurn turns to the next page, or back to the first after the last.
func pageTurn(a *App, c *callState) {
	if c.page+1 >= c.shown.pages {
		c.page = 0
	} else {
		c.page++
	}
	a.restage(c)
}

func benchCallScreen(b *testing.B, work func(a *App, c *callState)) {
	a, c := crowdedCall(b, fyne.NewSize(1280, 800), 300, "参加者 %d")
	// The crowd's rebuild, throttled, comes a moment later; until it has,
	// restage does nothing (a whole rebuild is due).
	waitFor(b, "the crowd's rebuild", func() bool { return !a.showThrottle.pending })
	ui(a.show)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ui(func() { work(a, c) })
	}
}

// BenchmarkSpeakerChange: in speaker view, a new speaker rebuilds the stage
// (the large tile and the strip of everyone else).
func BenchmarkSpeakerChange(b *testing.B) {
	benchCallScreen(b, func(a *App, c *callState) {
		c.speaker = true
		ids := c.m.IDs()
		c.pinned = ids[1+(len(ids)+c.stageGen)%(len(ids)-1)]
		a.restage(c)
	})
}
