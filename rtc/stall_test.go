package rtc

import (
	"sync"
	"testing"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
)

// TestStall: through LiveKit's interceptor set, a sender whose
// transport-wide feedback stops is told 0 once the silence passes
// stallAfter, and the estimate again as soon as feedback returns; a peer
// that never sent feedback is never judged stalled.
func TestStall(t *testing.T) {
	var mu sync.Mutex
	var got []int
	fs, err := Interceptors(func(bps int) {
		mu.Lock()
		got = append(got, bps)
		mu.Unlock()
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	chain := buildChain(t, fs)
	defer chain.Close()
	info := &interceptor.StreamInfo{SSRC: 1, PayloadType: 111, MimeType: "audio/opus", ClockRate: 48000,
		RTCPFeedback:        []interceptor.RTCPFeedback{{Type: "transport-cc"}},
		RTPHeaderExtensions: []interceptor.RTPHeaderExtension{{URI: "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01", ID: 4}}}
	w := chain.BindLocalStream(info, interceptor.RTPWriterFunc(func(_ *rtp.Header, p []byte, _ interceptor.Attributes) (int, error) {
		return len(p), nil
	}))
	seq := uint16(0)
	send := func(d time.Duration) {
		for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
			if _, err := w.Write(&rtp.Header{Version: 2, SSRC: 1, SequenceNumber: seq, PayloadType: 111}, []byte{1, 2, 3}, nil); err != nil {
				t.Fatal(err)
			}
			seq++
		}
	}
	var feedback []byte
	r := chain.BindRTCPReader(interceptor.RTCPReaderFunc(func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
		return copy(b, feedback), a, nil
	}))
	hear := func(p rtcp.Packet) {
		var err error
		if feedback, err = p.Marshal(); err != nil {
			t.Fatal(err)
		}
		if _, _, err := r.Read(make([]byte, 1500), nil); err != nil {
			t.Fatal(err)
		}
	}
	notices := func() []int {
		mu.Lock()
		defer mu.Unlock()
		return append([]int(nil), got...)
	}
	has0 := func(n []int) bool {
		for _, v := range n {
			if v == 0 {
				return true
			}
		}
		return false
	}

	// Reports alone, then silence: not armed, no stall.
	hear(&rtcp.ReceiverReport{SSRC: 9, Reports: []rtcp.ReceptionReport{{SSRC: 1}}})
	send(stallAfter + 300*time.Millisecond)
	if n := notices(); has0(n) {
		t.Fatalf("stalled without ever hearing transport-wide feedback: %v", n)
	}

	twcc := &rtcp.TransportLayerCC{Header: rtcp.Header{Padding: true, Count: rtcp.FormatTCC, Type: rtcp.TypeTransportSpecificFeedback, Length: 5},
		SenderSSRC: 9, MediaSSRC: 1, BaseSequenceNumber: 0, PacketStatusCount: 1,
		PacketChunks: []rtcp.PacketStatusChunk{&rtcp.RunLengthChunk{PacketStatusSymbol: rtcp.TypeTCCPacketReceivedSmallDelta, RunLength: 1}},
		RecvDeltas:   []*rtcp.RecvDelta{{Type: rtcp.TypeTCCPacketReceivedSmallDelta, Delta: 250}}}
	hear(twcc)
	send(stallAfter / 2)
	if n := notices(); has0(n) {
		t.Fatalf("stalled %s after feedback: %v", stallAfter/2, n)
	}
	// Once armed, any RTCP is a sign of life.
	rr := &rtcp.ReceiverReport{SSRC: 9, Reports: []rtcp.ReceptionReport{{SSRC: 1}}}
	hear(rr)
	send(3 * stallAfter / 4)
	if n := notices(); has0(n) {
		t.Fatalf("stalled though a report came %s ago: %v", 3*stallAfter/4, n)
	}
	send(stallAfter)
	n := notices()
	if !has0(n) || n[len(n)-1] != 0 {
		t.Fatalf("feedback silent for %s while sending: notices %v, want a last 0", 3*stallAfter/2, n)
	}
	before := len(n)
	send(stallAfter)
	if n := notices(); len(n) != before {
		t.Errorf("a stall was told more than once: %v", n)
	}
	hear(twcc)
	if n := notices(); len(n) != before+1 || n[len(n)-1] <= 0 {
		t.Errorf("feedback came back: notices %v, want the estimate after the 0", n)
	}
}
