package app

import (
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
)

// uiRunner hands a call's work to the UI thread in one pass: the room's
// events, the tiles' new pictures and the quarter-second updates,
// whatever has come since the last pass.
//
// Fyne's loop runs one queued function, then maybe a frame, then the next
// function. With frames of 40-130 ms on a busy machine (software GL) and a
// crowd of ten joining and leaving a second, one function per event queued
// faster than they ran: work handed to the window waited up to 0.8 s
// behind them, though the UI thread itself never blocked for more than
// 130 ms (the execution trace of make bench's churn). Through the runner a
// call has at most one function in Fyne's queue.
//
// Even one queued function waits on a coin: Fyne's loop is a select
// between its queue and its 60 Hz frame tick, and after a frame longer
// than a tick both are ready and Go picks at random, so a function waits
// behind one more frame half the time, two more a quarter of it (make
// bench's churn: 110-180 ms at worst over 30 s). So a pass also runs from
// an animation, which Fyne ticks in its frame branch just before drawing:
// in a window, work waits at most for the frame being drawn. The queued
// function stays for drivers that do not tick animations (Fyne's test
// driver) and finds nothing left to do when the tick came first.
type uiRunner struct {
	mu     sync.Mutex
	work   []posted
	wake   chan struct{}
	passes atomic.Int64 // passes that ran work

	// Measured for benchmarks (--tile-stats): the longest wait of any work
	// between do and its pass, and the longest gap between two frame ticks
	// (the UI thread away from input and drawing), since the last take.
	longestWait, longestGap, longestPass atomic.Int64
	ticks                                atomic.Int64
	lastTick                             time.Time // UI thread only
}

type posted struct {
	f  func()
	at time.Time
}

func newUIRunner() *uiRunner { return &uiRunner{wake: make(chan struct{}, 1)} }

// do runs f on the UI thread in the next pass and waits for it; false if
// stop closed first (f then may never run).
func (r *uiRunner) do(stop <-chan struct{}, f func()) bool {
	done := make(chan struct{})
	r.mu.Lock()
	r.work = append(r.work, posted{func() { f(); close(done) }, time.Now()})
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

// pass runs, on the UI thread, all the work waiting.
func (r *uiRunner) pass() {
	r.mu.Lock()
	work := r.work
	r.work = nil
	r.mu.Unlock()
	if len(work) == 0 {
		return
	}
	r.passes.Add(1)
	now := time.Now()
	for _, w := range work {
		storeMax(&r.longestWait, int64(now.Sub(w.at)))
		w.f()
	}
	storeMax(&r.longestPass, int64(time.Since(now)))
}

// tick is the animation's: a pass just before the frame, and the gap
// since the last frame tick.
func (r *uiRunner) tick() {
	now := time.Now()
	if !r.lastTick.IsZero() {
		storeMax(&r.longestGap, int64(now.Sub(r.lastTick)))
	}
	r.lastTick = now
	r.ticks.Add(1)
	r.pass()
}

// run makes the passes until stop closes.
func (r *uiRunner) run(stop <-chan struct{}) {
	frames := &fyne.Animation{Duration: time.Hour, RepeatCount: fyne.AnimationRepeatForever,
		Curve: fyne.AnimationLinear, Tick: func(float32) { r.tick() }}
	// Started on the UI thread: a driver may tick it at once (the test
	// driver does, once).
	fyne.DoAndWait(frames.Start)
	defer frames.Stop()
	for {
		select {
		case <-stop:
			return
		case <-r.wake:
		}
		r.mu.Lock()
		waiting := len(r.work) > 0
		r.mu.Unlock()
		if waiting {
			fyne.DoAndWait(r.pass)
		}
	}
}

// uiWaits is what takeWaits measured.
type uiWaits struct {
	work  time.Duration // the longest wait of work for its pass
	gap   time.Duration // the longest gap between frame ticks
	pass  time.Duration // the longest pass
	ticks int64         // frame ticks in all (0: the driver does not tick animations)
}

// takeWaits returns, and starts again, the longest waits since the last take.
func (r *uiRunner) takeWaits() uiWaits {
	return uiWaits{time.Duration(r.longestWait.Swap(0)), time.Duration(r.longestGap.Swap(0)),
		time.Duration(r.longestPass.Swap(0)), r.ticks.Load()}
}

func storeMax(v *atomic.Int64, x int64) {
	for {
		old := v.Load()
		if x <= old || v.CompareAndSwap(old, x) {
			return
		}
	}
}
