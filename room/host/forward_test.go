package host

import (
	"sync"
	"testing"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// TestForwardWhileReceiversComeAndGo forwards packets on one goroutine
// while receivers attach and detach on others, as when people join and
// leave a meeting in full flow. (The list of receivers was once changed in
// place under a forwarding loop, and the host crashed on a nil receiver.)
func TestForwardWhileReceiversComeAndGo(t *testing.T) {
	codec := webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000}
	up := &upTrack{}
	newDown := func() *downTrack {
		local, err := webrtc.NewTrackLocalStaticRTP(codec, "video", "s")
		if err != nil {
			t.Fatal(err)
		}
		return &downTrack{local: local, video: true, on: true, want: up}
	}
	for range 4 {
		up.attach(newDown())
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				d := newDown()
				up.attach(d)
				up.detach([]*downTrack{d})
			}
		}()
	}
	pkt := &rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 96}, Payload: []byte{0x10, 0, 0, 0}}
	for end := time.Now().Add(300 * time.Millisecond); time.Now().Before(end); {
		pkt.SequenceNumber++
		up.forward(pkt)
	}
	close(stop)
	wg.Wait()
	if n := len(up.downs); n != 4 {
		t.Errorf("%d receivers left, want 4", n)
	}
}

// BenchmarkForward is the host's own work per forwarded packet: one video
// packet of one sender copied to four receivers (the pion write behind
// it, with no PeerConnection bound, costs almost nothing here).
func BenchmarkForward(b *testing.B) {
	codec := webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000}
	up := &upTrack{}
	for range 4 {
		local, err := webrtc.NewTrackLocalStaticRTP(codec, "video", "s")
		if err != nil {
			b.Fatal(err)
		}
		up.attach(&downTrack{local: local, video: true, on: true, want: up})
	}
	pkt := &rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 96, Timestamp: 1000}, Payload: make([]byte, 1100)}
	pkt.Payload[0] = 0x10
	for b.Loop() {
		pkt.SequenceNumber++
		up.forward(pkt)
	}
}

// TestLayerSwitch follows one receiver's video through its requests:
// the layer asked for is forwarded from its first keyframe, a switch waits for the new layer's
// keyframe (the old one goes on meanwhile), a stopped and restarted video
// waits for a keyframe, a silent layer is stood in for by one that sends,
// and what goes out is one stream: sequence numbers without gaps or
// repeats, timestamps that never go back.
func TestLayerSwitch(t *testing.T) {
	local, err := webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000}, "video", "s")
	if err != nil {
		t.Fatal(err)
	}
	top, low := &upTrack{}, &upTrack{}
	d := &downTrack{local: local, video: true, clock: 90000, on: true, want: top, waitKey: true}
	top.attach(d)
	low.attach(d)
	seqs := map[*upTrack]uint16{top: 1000, low: 50000}
	tss := map[*upTrack]uint32{top: 7, low: 1 << 31}
	send := func(from *upTrack, key bool) (forwarded bool) {
		seqs[from]++
		tss[from] += 3000
		payload := []byte{0x10, 0x01, 0, 0} // a VP8 start, P bit set: not a keyframe
		if key {
			payload[1] = 0x00
		}
		before, sent := d.lastSeq, d.sent
		from.forward(&rtp.Packet{Header: rtp.Header{Version: 2, SequenceNumber: seqs[from], Timestamp: tss[from]}, Payload: payload})
		if d.sent && (!sent || d.lastSeq != before) {
			if sent && d.lastSeq != before+1 {
				t.Fatalf("sequence number %d after %d", d.lastSeq, before)
			}
			return true
		}
		return false
	}
	step := func(what string, from *upTrack, key, want bool) {
		t.Helper()
		if got := send(from, key); got != want {
			t.Fatalf("%s: forwarded %v, want %v", what, got, want)
		}
	}
	step("top, first, not a keyframe", top, false, false)
	step("top's first keyframe", top, true, true)
	step("low, not asked for", low, true, false)
	step("top", top, false, true)
	if k := d.setOn(true, low); k != low {
		t.Fatalf("switching to low asks a keyframe of %v", k)
	}
	step("top while low's keyframe is awaited", top, false, true)
	step("low without a keyframe", low, false, false)
	step("low's keyframe", low, true, true)
	step("top after the switch", top, true, false)
	step("low", low, false, true)
	d.setOn(false, low)
	step("stopped", low, true, false)
	if k := d.setOn(true, top); k != top {
		t.Fatalf("restarting on top asks a keyframe of %v", k)
	}
	step("restarted, low without a keyframe", low, false, false)
	// The layer it had restarts at once on a keyframe; top follows on its own.
	step("restarted, low's keyframe", low, true, true)
	step("restarted, top without a keyframe", top, false, false)
	step("restarted, top's keyframe", top, true, true)
	// Top falls silent (its sender has no bandwidth for it): low stands in
	// from its next keyframe.
	top.last.Store(time.Now().Add(-time.Second).UnixNano())
	step("low stands in, not a keyframe", low, false, false)
	step("low stands in", low, true, true)
	step("low goes on", low, false, true)
	step("top is back with a keyframe", top, true, true)
	step("low after top is back", low, false, false)
}
