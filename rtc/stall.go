package rtc

import (
	"sync"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
)

// stallAfter is how long the other side may stay silent while we send
// before the link is taken as stalled. It sends transport-wide feedback
// every 100 ms or so while media arrives, and reports and NACKs besides;
// yet behind a 400 kbit/s uplink (tbf) everything from LiveKit paused for
// over 600 ms 5 times in a run of 33 s (24 times when only feedback
// counted), and not once for 900 ms. Past that the link is most likely dead (Wi-Fi gone,
// an outage), and congestion control, which learns only from feedback,
// would otherwise keep its last estimate and the encoders would push full
// rate into nothing.
const stallAfter = 900 * time.Millisecond

// stallWatch notices a stall: no RTCP at all while we send. sent is
// called for each packet we send, heard for each batch of RTCP we
// receive; each says whether the watcher just changed its mind. It is
// armed only once transport-wide feedback has been heard: a peer that
// never sends it (reports alone, seconds apart) is never judged stalled.
// Any RTCP counts as a sign of life, not only that feedback: behind a
// narrow uplink its feedback paused while its reports and NACKs kept
// coming (stallAfter), and each such pause took the video down for
// nothing.
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
	s.mu.Lock()
	defer s.mu.Unlock()
	if !feedback && !s.armed {
		return false
	}
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
