package app

import (
	"sync"
	"time"

	"kaigi/room"
)

// landing keeps track of joins between the dial and the UI thread taking
// their session. Normally that gap is a moment; but when the display goes
// away (a logout) the UI thread is stuck in Abandon for good, and a
// session it never takes would stay in the meeting. Abandon leaves those.
type landing struct {
	mu        sync.Mutex
	dialing   sync.WaitGroup
	waiting   map[room.Session]func() // arrived, not yet taken: their release
	abandoned bool
}

// start counts a dial in flight.
func (l *landing) start() { l.dialing.Add(1) }

// arrive records a dial's result (sess may be nil); it says false if the
// app was abandoned meanwhile, after leaving the session itself.
func (l *landing) arrive(sess room.Session, release func()) bool {
	defer l.dialing.Done()
	l.mu.Lock()
	abandoned := l.abandoned
	if !abandoned && sess != nil {
		if l.waiting == nil {
			l.waiting = map[room.Session]func(){}
		}
		l.waiting[sess] = release
	}
	l.mu.Unlock()
	if abandoned {
		if sess != nil {
			_ = sess.Leave()
		}
		release()
	}
	return !abandoned
}

// taken: the UI thread has the session now.
func (l *landing) taken(sess room.Session) {
	l.mu.Lock()
	delete(l.waiting, sess)
	l.mu.Unlock()
}

// abandon leaves every session not yet taken and waits (at most quitWait)
// for dials in flight, which leave theirs as they arrive. It says whether
// there was anything to leave.
func (l *landing) abandon() bool {
	l.mu.Lock()
	l.abandoned = true
	waiting := l.waiting
	l.waiting = nil
	l.mu.Unlock()
	done := make(chan struct{})
	go func() {
		var wg sync.WaitGroup
		for sess, release := range waiting {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_ = sess.Leave()
				release()
			}()
		}
		wg.Wait()
		l.dialing.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(quitWait):
	}
	return len(waiting) > 0
}
