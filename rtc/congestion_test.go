package rtc

import (
	"sync"
	"testing"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
)

// TestRetransmissionPassesCongestionControl: with RTX negotiated, a NACKed
// packet goes out again on the RTX SSRC through LiveKit's interceptor set
// (gcc's pacer dropped it: it knew only the primary SSRC).
func TestRetransmissionPassesCongestionControl(t *testing.T) {
	for _, paced := range []bool{false, true} {
		fs, err := Interceptors(nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if paced {
			cc, err := congestionControl(nil, true)
			if err != nil {
				t.Fatal(err)
			}
			fs[0] = cc
		}
		chain := buildChain(t, fs)
		info := &interceptor.StreamInfo{SSRC: 1, SSRCRetransmission: 2, PayloadType: 96, PayloadTypeRetransmission: 97,
			MimeType: "video/VP8", ClockRate: 90000, RTCPFeedback: []interceptor.RTCPFeedback{{Type: "nack"}, {Type: "transport-cc"}},
			RTPHeaderExtensions: []interceptor.RTPHeaderExtension{{URI: "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01", ID: 4}}}
		var mu sync.Mutex
		var rtx []uint16 // original sequence numbers sent again
		w := chain.BindLocalStream(info, interceptor.RTPWriterFunc(func(h *rtp.Header, p []byte, _ interceptor.Attributes) (int, error) {
			if h.SSRC == 2 && len(p) >= 2 {
				mu.Lock()
				rtx = append(rtx, uint16(p[0])<<8|uint16(p[1]))
				mu.Unlock()
			}
			return len(p), nil
		}))
		for i := range 10 {
			if _, err := w.Write(&rtp.Header{Version: 2, SSRC: 1, SequenceNumber: uint16(100 + i), PayloadType: 96}, []byte{1, 2, 3}, nil); err != nil {
				t.Fatal(err)
			}
		}
		nack, _ := (&rtcp.TransportLayerNack{MediaSSRC: 1, Nacks: []rtcp.NackPair{{PacketID: 103}}}).Marshal()
		r := chain.BindRTCPReader(interceptor.RTCPReaderFunc(func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
			return copy(b, nack), a, nil
		}))
		if _, _, err := r.Read(make([]byte, 1500), nil); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(2 * time.Second)
		for {
			mu.Lock()
			got := append([]uint16(nil), rtx...)
			mu.Unlock()
			if len(got) > 0 {
				if got[0] != 103 {
					t.Errorf("paced %v: sent %v again, want 103", paced, got)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Errorf("paced %v: the NACKed packet was not sent again", paced)
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		_ = chain.Close()
	}
}

// buildChain is fs as one PeerConnection's interceptor.
func buildChain(t *testing.T, fs []interceptor.Factory) interceptor.Interceptor {
	t.Helper()
	reg := &interceptor.Registry{}
	for _, f := range fs {
		reg.Add(f)
	}
	chain, err := reg.Build("pc")
	if err != nil {
		t.Fatal(err)
	}
	return chain
}

// TestAudioLoss: receiver reports about our audio reach the callback;
// reports about video do not.
func TestAudioLoss(t *testing.T) {
	var mu sync.Mutex
	var got []float64
	i, err := AudioLoss(func(f float64) {
		mu.Lock()
		got = append(got, f)
		mu.Unlock()
	}).NewInterceptor("pc")
	if err != nil {
		t.Fatal(err)
	}
	noop := interceptor.RTPWriterFunc(func(_ *rtp.Header, p []byte, _ interceptor.Attributes) (int, error) { return len(p), nil })
	i.BindLocalStream(&interceptor.StreamInfo{SSRC: 7, MimeType: "audio/opus"}, noop)
	i.BindLocalStream(&interceptor.StreamInfo{SSRC: 8, MimeType: "video/VP8"}, noop)
	rr, _ := (&rtcp.ReceiverReport{SSRC: 1, Reports: []rtcp.ReceptionReport{{SSRC: 7, FractionLost: 64}, {SSRC: 8, FractionLost: 128}}}).Marshal()
	r := i.BindRTCPReader(interceptor.RTCPReaderFunc(func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
		return copy(b, rr), a, nil
	}))
	if _, _, err := r.Read(make([]byte, 1500), nil); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || got[0] != 0.25 {
		t.Errorf("got %v, want [0.25]", got)
	}
}

// TestHeavyLossMustLast: the loss-based estimate is followed only once the
// loss has been heavy for heavyHold; a moment below starts the count again.
func TestHeavyLossMustLast(t *testing.T) {
	var e estimator
	t0 := time.Unix(1000, 0)
	for _, c := range []struct {
		at    time.Duration
		heavy bool
		want  time.Duration
	}{
		{0, true, 0},
		{400 * time.Millisecond, true, 400 * time.Millisecond}, // a spike: not followed
		{500 * time.Millisecond, false, 0},
		{time.Second, true, 0},
		{time.Second + heavyHold, true, heavyHold}, // lasting: followed
	} {
		if got := e.heavyFor(c.heavy, t0.Add(c.at)); got != c.want {
			t.Errorf("at %s (heavy %v): heavy for %s, want %s", c.at, c.heavy, got, c.want)
		}
	}
	// After a stall the loss of what went into the dead link is not heavy
	// loss until stallCalm has passed.
	t1 := t0.Add(time.Minute)
	e.calm = t1.Add(stallCalm)
	for _, at := range []time.Duration{0, heavyHold, stallCalm - time.Millisecond} {
		if got := e.heavyFor(true, t1.Add(at)); got != 0 {
			t.Errorf("%s after a stall: heavy for %s, want 0", at, got)
		}
	}
	e.heavyFor(true, t1.Add(stallCalm))
	if got := e.heavyFor(true, t1.Add(stallCalm+heavyHold)); got != heavyHold {
		t.Errorf("after the calm: heavy for %s, want %s", got, heavyHold)
	}
}
