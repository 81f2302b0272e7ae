// Package rtctest connects PeerConnections in one process, for tests.
package rtctest

import (
	"testing"
	"time"

	"github.com/pion/webrtc/v4"
)

// Connect negotiates send (the offerer) with recv, with every candidate in
// the descriptions, and waits until both are connected (10 s at most).
func Connect(t testing.TB, send, recv *webrtc.PeerConnection) {
	t.Helper()
	connected := make(chan struct{}, 2)
	for _, pc := range []*webrtc.PeerConnection{send, recv} {
		pc.OnConnectionStateChange(func(s webrtc.PeerConnectionState) {
			if s == webrtc.PeerConnectionStateConnected {
				connected <- struct{}{}
			}
		})
	}
	// describe sets pc's local description, once its candidates are in.
	describe := func(pc *webrtc.PeerConnection) func(webrtc.SessionDescription, error) *webrtc.SessionDescription {
		return func(d webrtc.SessionDescription, err error) *webrtc.SessionDescription {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
			gathered := webrtc.GatheringCompletePromise(pc)
			if err := pc.SetLocalDescription(d); err != nil {
				t.Fatal(err)
			}
			<-gathered
			return pc.LocalDescription()
		}
	}
	offer := describe(send)(send.CreateOffer(nil))
	if err := recv.SetRemoteDescription(*offer); err != nil {
		t.Fatal(err)
	}
	answer := describe(recv)(recv.CreateAnswer(nil))
	if err := send.SetRemoteDescription(*answer); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		select {
		case <-connected:
		case <-time.After(10 * time.Second):
			t.Fatal("PeerConnections not connected after 10 s")
		}
	}
}
