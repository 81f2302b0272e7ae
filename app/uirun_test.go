package app

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"kaigi/room"
)

// holdUI keeps the UI thread busy until the returned function is called
// or the test ends: a failing test must not leave it blocked for the next.
func holdUI(t *testing.T) (release func()) {
	held := make(chan struct{})
	var once sync.Once
	release = func() { once.Do(func() { close(held) }) }
	t.Cleanup(release)
	busy := make(chan struct{})
	go ui(func() { close(busy); <-held })
	<-busy
	return release
}

// TestUIRunnerBatches: work posted while the UI thread is busy runs, all
// of it and each once, in one or two passes, not one function each; after
// stop, do returns without waiting.
func TestUIRunnerBatches(t *testing.T) {
	newTestApp(t, Options{})
	r := newUIRunner()
	stop := make(chan struct{})
	free := holdUI(t)
	var mu sync.Mutex
	ran := map[int]int{}
	var wg sync.WaitGroup
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if !r.do(stop, func() { mu.Lock(); ran[i]++; mu.Unlock() }) {
				t.Error("do returned before its work ran")
			}
		}()
	}
	// All of it is posted before the runner starts: a runner started
	// earlier could take the first pieces into a pass that waits for the
	// busy UI thread, and how many is up to the scheduler. Polled here,
	// not on the UI thread, which is busy.
	waitQueued(t, r, 100)
	go r.run(stop)
	time.Sleep(50 * time.Millisecond) // the runner takes the work into a pass
	free()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the work did not run within 10 s of the UI thread's release")
	}
	for i := range 100 {
		if ran[i] != 1 {
			t.Fatalf("work %d ran %d times", i, ran[i])
		}
	}
	if p := r.passes.Load(); p > 2 {
		t.Errorf("100 pieces of work took %d passes of the UI thread", p)
	}
	close(stop)
	if r.do(stop, func() {}) {
		t.Error("do after stop says its work ran")
	}
}

// TestEventsInBatches: 300 people joining while the UI thread is busy
// reach the call in order and in a few passes.
func TestEventsInBatches(t *testing.T) {
	a := newTestApp(t, Options{})
	c := testCall(a)
	ui(func() { a.state.Call, a.state.Screen = c, ScreenCall })
	r := newUIRunner()
	stop := make(chan struct{})
	defer close(stop)
	go r.run(stop)
	events := make(chan room.Event)
	go a.deliverEvents(c, events, r, stop)
	free := holdUI(t)
	for i := range 300 {
		events <- room.ParticipantJoined{Participant: room.Participant{ID: fmt.Sprint(i), Name: fmt.Sprint("P ", i)}}
	}
	free()
	waitFor(t, "301 people", func() bool { return c.m.Len() == 301 })
	ids := on(c.m.IDs)
	for i, id := range ids[1:] {
		if id != fmt.Sprint(i) {
			t.Fatalf("person %d is %s: out of order", i, id)
		}
	}
	if p := r.passes.Load(); p > 3 {
		t.Errorf("300 events took %d passes of the UI thread", p)
	}
	close(events)
}

// TestUIRunnerTick: a frame tick runs the work waiting, without the queued
// function (a window's driver ticks before each frame), and measures the
// gap between ticks and how long the work waited.
func TestUIRunnerTick(t *testing.T) {
	newTestApp(t, Options{})
	r := newUIRunner()
	stop := make(chan struct{})
	defer close(stop)
	ran := make(chan bool, 1)
	go func() { ran <- r.do(stop, func() {}) }()
	waitQueued(t, r, 1)
	time.Sleep(30 * time.Millisecond)
	ui(r.tick)
	select {
	case ok := <-ran:
		if !ok {
			t.Fatal("do says its work did not run")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a tick did not run the work waiting")
	}
	time.Sleep(20 * time.Millisecond)
	ui(r.tick)
	w := r.takeWaits()
	if w.ticks != 2 || r.passes.Load() != 1 {
		t.Errorf("%d ticks, %d passes; want 2 and 1", w.ticks, r.passes.Load())
	}
	if w.work < 30*time.Millisecond || w.gap < 20*time.Millisecond {
		t.Errorf("measured a wait of %v (want ≥ 30 ms) and a gap of %v (want ≥ 20 ms)", w.work, w.gap)
	}
	if w := r.takeWaits(); w.work != 0 || w.gap != 0 || w.pass != 0 {
		t.Errorf("after a take: %+v, want no waits", w)
	}
}

// waitQueued waits until n pieces of work wait in r.
func waitQueued(t *testing.T, r *uiRunner, n int) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		r.mu.Lock()
		queued := len(r.work)
		r.mu.Unlock()
		if queued == n {
			return
		}
		if time.Now().After(end) {
			t.Fatalf("%d pieces of work queued, want %d", queued, n)
		}
	}
}
