package app

import (
	"sync"
	"sync/atomic"

	"fyne.io/fyne/v2"
)

// uiRunner hands a call's work to the UI thread in one function per pass:
// the room's events, the tiles' new pictures and the quarter-second
// updates, whatever has come since the last pass.
//
// Fyne's loop runs one queued function, then maybe a frame, then the next
// function. With frames of 40-130 ms on a busy machine (software GL) and a
// crowd of ten joining and leaving a second, one function per event queued
// faster than they ran: work handed to the window waited up to 0.8 s
// behind them, though the UI thread itself never blocked for more than
// 130 ms (the execution trace of make bench's churn). Through the runner a
// call has at most one function in Fyne's queue.
type uiRunner struct {
	mu     sync.Mutex
	work   []func()
	wake   chan struct{}
	passes atomic.Int64 // functions handed to Fyne so far
}

func newUIRunner() *uiRunner { return &uiRunner{wake: make(chan struct{}, 1)} }

// do runs f on the UI thread in the next pass and waits for it; false if
// stop closed first (f then may never run).
func (r *uiRunner) do(stop <-chan struct{}, f func()) bool {
	done := make(chan struct{})
	r.mu.Lock()
	r.work = append(r.work, func() { f(); close(done) })
	r.mu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
	select {
	case <-done:
		return true
	case <-stop:
		return false
	}
}

// run makes the passes until stop closes.
func (r *uiRunner) run(stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case <-r.wake:
		}
		r.mu.Lock()
		work := r.work
		r.work = nil
		r.mu.Unlock()
		if len(work) > 0 {
			r.passes.Add(1)
			fyne.DoAndWait(func() {
				for _, f := range work {
					f()
				}
			})
		}
	}
}
