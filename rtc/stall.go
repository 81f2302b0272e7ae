package rtc

import (
	"sync"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
)

// stallAfter is how long transport-wide feedback may stay away while we
// send before the link is taken as stalled. The other side sends it
// every 100 ms or so while media arrives; a loaded machine here delayed
// it by up to ~300 ms. Past this the link is most likely dead (Wi-Fi
// gone, an outage), and congestion control, which learns only from
// feedback, would otherwise keep its last estimate and the encoders
// would push full rate into nothing.
const stallAfter = 600 * time.Millisecond

// stallWatch notices a stall of transport-wide feedback. sent is called
// for each packet we send, heard for each batch of RTCP we receive; each
// says whether the watcher just changed its mind. It is armed only once
// transport-wide feedback has been heard: a peer that never sends it
// (reports alone, seconds apart) is never judged stalled.
type stallWatch struct {
	mu      sync.Mutex
	armed   bool
	heardAt time.Time
	stalled bool
}

// sent reports a packet sent at now: true when the link has just stalled.
func (s *stallWatch) sent(now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.armed || s.stalled || now.Sub(s.heardAt) < stallAfter {
		return false
	}
	s.stalled = true
	return true
}

// heard reports RTCP received at now: true when it ends a stall.
func (s *stallWatch) heard(pkts []rtcp.Packet, now time.Time) bool {
	feedback := false
	for _, p := range pkts {
		if _, ok := p.(*rtcp.TransportLayerCC); ok {
			feedback = true
		}
	}
	if !feedback {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.armed, s.heardAt = true, now
	ended := s.stalled
	s.stalled = false
	return ended
}

// watchSends wraps w so that every packet written through it is shown
// to the estimator's stall watch.
func (e *estimator) watchSends(w interceptor.RTPWriter) interceptor.RTPWriter {
	return interceptor.RTPWriterFunc(func(h *rtp.Header, p []byte, a interceptor.Attributes) (int, error) {
		if e.stall.sent(time.Now()) {
			e.notify(0)
		}
		return w.Write(h, p, a)
	})
}

// notify hands bps to whoever listens (0: the link has stalled).
func (e *estimator) notify(bps int) {
	e.mu.Lock()
	f := e.onBitrate
	e.mu.Unlock()
	if f != nil {
		f(bps)
	}
}
