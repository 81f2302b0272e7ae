package rtc

import (
	"testing"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"

	"kaigi/rtc/rtctest"
)

// TestLateRepairsLand: a packet that comes 500 packets behind the newest,
// as a retransmission after an outage or a burst of loss does, is taken,
// not dropped as an SRTP replay; one that really is a replay (the same
// packet again) is not.
func TestLateRepairsLand(t *testing.T) {
	send, recv := pcPair(t)
	track, err := webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000}, "video", "kaigi")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := send.AddTrack(track); err != nil {
		t.Fatal(err)
	}
	got := make(chan uint16, 16)
	recv.OnTrack(func(tr *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
		for {
			p, _, err := tr.ReadRTP()
			if err != nil {
				return
			}
			got <- p.SequenceNumber
		}
	})
	rtctest.Connect(t, send, recv)
	write := func(seq uint16) {
		// A keyframe's first packet, so that nothing waits for one.
		p := &rtp.Packet{Header: rtp.Header{Version: 2, SequenceNumber: seq, Timestamp: uint32(seq) * 3000},
			Payload: []byte{0x10, 0x00, 0x9d, 0x01, 0x2a}}
		if err := track.WriteRTP(p); err != nil {
			t.Fatal(err)
		}
	}
	want := []uint16{1000, 1500, 1000, 1001}
	for _, seq := range []uint16{1000, 1500, 1000, 1001} { // the second 1000 is a replay
		write(seq)
		time.Sleep(20 * time.Millisecond)
	}
	var seen []uint16
	for len(seen) < 3 {
		select {
		case s := <-got:
			seen = append(seen, s)
		case <-time.After(2 * time.Second):
			t.Fatalf("received %v of %v (1000 twice: the replay must go)", seen, want)
		}
	}
	if seen[0] != 1000 || seen[1] != 1500 || seen[2] != 1001 {
		t.Errorf("received %v; want 1000, 1500, then the late 1001 (and not the replayed 1000)", seen)
	}
}

// pcPair is two PeerConnections of our participant API on loopback.
func pcPair(t *testing.T) (send, recv *webrtc.PeerConnection) {
	t.Helper()
	api, err := NewAPI(Config{Setting: Loopback()})
	if err != nil {
		t.Fatal(err)
	}
	for _, pc := range []**webrtc.PeerConnection{&send, &recv} {
		if *pc, err = api.NewPeerConnection(webrtc.Configuration{}); err != nil {
			t.Fatal(err)
		}
		p := *pc
		t.Cleanup(func() { p.Close() })
	}
	return send, recv
}
