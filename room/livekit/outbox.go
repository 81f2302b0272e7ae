package livekit

import (
	"errors"
	"sync"
)

// outbox holds the chat typed while the link is in trouble and sends it,
// in order, once the link is back.
//
// LiveKit carries chat over the data channel's SCTP, which retransmits
// what is lost with a timeout that doubles at each try. A message typed 4 s
// into a 20 s outage was still waiting for its next try 10 s after the
// network came back (TestOutage with KAIGI_NETWORK_OUTAGE=20s). So chat is
// not handed to SCTP while we know the link is in trouble: congestion
// control hears no feedback (a stall, rtc/stall.go), or the SDK is resuming
// or rejoining. Chat typed in the moment before the trouble is noticed
// (under a second) is left to SCTP.
type outbox struct {
	mu           sync.Mutex
	silent       bool // no feedback on what we send
	reconnecting bool
	held         []heldChat
	flushing     bool
	closed       bool
	// sent hears of each held line when it went out (err nil) or was
	// refused when its turn came (set before use).
	sent func(id string, err error)
}

type heldChat struct {
	id, text string
	publish  func() error
}

// send runs publish now, or holds it until the trouble is over (held).
func (o *outbox) send(id, text string, publish func() error) (held bool, err error) {
	o.mu.Lock()
	if o.closed {
		o.mu.Unlock()
		return false, errOutboxClosed
	}
	if o.silent || o.reconnecting || o.flushing {
		o.held = append(o.held, heldChat{id, text, publish})
		o.mu.Unlock()
		return true, nil
	}
	o.mu.Unlock()
	return false, publish()
}

var errOutboxClosed = errors.New("the session has ended")

// close ends the outbox with the session: it returns what was held and
// never tried, in order, and refuses more.
func (o *outbox) close() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.closed = true
	var unsent []string
	for _, h := range o.held {
		unsent = append(unsent, h.text)
	}
	o.held = nil
	return unsent
}

// setSilent notes whether congestion control hears feedback (false: it
// does again).
func (o *outbox) setSilent(on bool) {
	o.mu.Lock()
	o.silent = on
	o.mu.Unlock()
	o.flush()
}

// setReconnecting notes whether the SDK is resuming or rejoining.
func (o *outbox) setReconnecting(on bool) {
	o.mu.Lock()
	o.reconnecting = on
	o.mu.Unlock()
	o.flush()
}

// flush sends what was held, in order, on a goroutine of its own (the SDK
// calls us from its own), if the trouble is over. Chat typed meanwhile
// waits behind it. A message that cannot be sent even then is reported
// to sent with the error, and forgotten.
func (o *outbox) flush() {
	o.mu.Lock()
	if o.silent || o.reconnecting || o.flushing || len(o.held) == 0 {
		o.mu.Unlock()
		return
	}
	o.flushing = true
	o.mu.Unlock()
	go func() {
		for {
			o.mu.Lock()
			if len(o.held) == 0 || o.silent || o.reconnecting || o.closed {
				o.flushing = false
				o.mu.Unlock()
				return
			}
			h := o.held[0]
			o.held = o.held[1:]
			o.mu.Unlock()
			err := h.publish()
			if o.sent != nil {
				o.sent(h.id, err)
			}
		}
	}()
}
