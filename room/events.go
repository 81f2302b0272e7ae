package room

import "sync"

// Events is the event stream a dialect hands to the UI: Emit never blocks
// (network callbacks must not wait for the UI), events keep their order,
// and Close delivers what is queued before closing the channel.
type Events struct {
	mu     sync.Mutex
	queue  []Event
	wake   chan struct{}
	closed bool
	out    chan Event
	done   chan struct{}
}

// NewEvents starts the stream's pump goroutine; Close stops it.
func NewEvents() *Events {
	e := &Events{wake: make(chan struct{}, 1), out: make(chan Event), done: make(chan struct{})}
	go e.pump()
	return e
}

// C is the channel the session's Events method returns.
func (e *Events) C() <-chan Event { return e.out }

// Emit queues an event; after Close it does nothing.
func (e *Events) Emit(ev Event) {
	e.mu.Lock()
	if !e.closed {
		e.queue = append(e.queue, ev)
	}
	e.mu.Unlock()
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// Close ends the stream once the queued events are read. A reader that
// stopped reading does not block it: undelivered events are dropped after
// the reader goes away (Drop).
func (e *Events) Close() {
	e.mu.Lock()
	e.closed = true
	e.mu.Unlock()
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// Drop ends the stream at once, dropping what is queued, and waits for the
// pump to stop.
func (e *Events) Drop() {
	e.mu.Lock()
	e.closed = true
	e.queue = nil
	e.mu.Unlock()
	select {
	case e.wake <- struct{}{}:
	default:
	}
	for range e.out {
	}
	<-e.done
}

func (e *Events) pump() {
	defer close(e.done)
	defer close(e.out)
	for {
		e.mu.Lock()
		if len(e.queue) == 0 {
			closed := e.closed
			e.mu.Unlock()
			if closed {
				return
			}
			<-e.wake
			continue
		}
		ev := e.queue[0]
		e.queue = e.queue[1:]
		e.mu.Unlock()
		e.out <- ev
	}
}
