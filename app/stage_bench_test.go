package app

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"

	"kaigi/room"
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
	a := newTestApp(b, Options{})
	c := testCall(a)
	ui(func() {
		a.win.Resize(fyne.NewSize(1280, 800))
		a.state.Call, a.state.Screen = c, ScreenCall
		for i := 0; i < 300; i++ {
			a.onCallEvent(c, room.ParticipantJoined{Participant: room.Participant{ID: fmt.Sprint(i), Name: fmt.Sprintf("参加者 %d", i)}})
		}
		a.show()
	})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ui(func() { work(a, c) })
	}
}
