package rtc

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/webrtc/v4"
)

// TestForwarderRunsLess: a host's PeerConnections (and a participant's
// that only receive) run only what their direction needs (a host of 50 people has ~2,450 of them), and still
// negotiate what its senders and receivers rely on: NACK and PLI for
// video, and the transport-wide feedback senders' congestion control
// runs on.
func TestForwarderRunsLess(t *testing.T) {
	perPC := map[Role]float64{}
	sdps := map[Role]string{}
	// What the host had before: pion's default interceptors, multicast
	// DNS on (the host's own setting, without Loopback's).
	m := &webrtc.MediaEngine{}
	if err := m.RegisterDefaultCodecs(); err != nil {
		t.Fatal(err)
	}
	ir := &interceptor.Registry{}
	if err := webrtc.RegisterDefaultInterceptors(m, ir); err != nil {
		t.Fatal(err)
	}
	const defaults Role = -1
	for _, role := range []Role{defaults, ForwarderIn, ForwarderOut, Participant, Receiver} {
		api := webrtc.NewAPI(webrtc.WithMediaEngine(m), webrtc.WithInterceptorRegistry(ir))
		if role != defaults {
			var err error
			if api, err = NewAPI(Config{Role: role}); err != nil {
				t.Fatal(err)
			}
		}
		const n = 20
		before := runtime.NumGoroutine()
		var pcs []*webrtc.PeerConnection
		for range n {
			pc, err := api.NewPeerConnection(webrtc.Configuration{})
			if err != nil {
				t.Fatal(err)
			}
			pcs = append(pcs, pc)
			for _, kind := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeAudio, webrtc.RTPCodecTypeVideo} {
				dir := webrtc.RTPTransceiverDirectionSendonly
				if role == ForwarderIn || role == Receiver {
					dir = webrtc.RTPTransceiverDirectionRecvonly
				}
				if _, err := pc.AddTransceiverFromKind(kind, webrtc.RTPTransceiverInit{Direction: dir}); err != nil {
					t.Fatal(err)
				}
			}
			offer, err := pc.CreateOffer(nil)
			if err == nil {
				err = pc.SetLocalDescription(offer)
			}
			if err != nil {
				t.Fatal(err)
			}
			sdps[role] = offer.SDP
		}
		for _, pc := range pcs {
			select {
			case <-webrtc.GatheringCompletePromise(pc):
			case <-time.After(10 * time.Second):
				t.Fatal("gathering never ended")
			}
		}
		perPC[role] = float64(runtime.NumGoroutine()-before) / n
		for _, pc := range pcs {
			_ = pc.Close()
		}
	}
	t.Logf("goroutines per PeerConnection: pion's defaults %.1f, forwarder in %.1f, out %.1f; participant %.1f, receiver %.1f",
		perPC[defaults], perPC[ForwarderIn], perPC[ForwarderOut], perPC[Participant], perPC[Receiver])
	// A participant's PeerConnections that only receive run no
	// congestion control (its pacer and delay controller).
	if perPC[Receiver] > perPC[Participant]-2 {
		t.Errorf("a receiver runs %.1f goroutines per PeerConnection, a participant %.1f", perPC[Receiver], perPC[Participant])
	}
	// Pion's defaults run four interceptor loops in every PeerConnection
	// (NACK generator, both reports, transport-wide feedback; and a
	// statistics recorder per stream) and multicast DNS two more; in
	// keeps three of the loops, out one.
	for role, saved := range map[Role]float64{ForwarderIn: 2, ForwarderOut: 4} {
		if perPC[role] > perPC[defaults]-saved {
			t.Errorf("role %d: %.1f goroutines per PeerConnection, pion's defaults %.1f", role, perPC[role], perPC[defaults])
		}
	}
	for role, want := range map[Role][]string{
		ForwarderIn:  {"transport-wide-cc", "nack pli", "rtcp-fb:96 nack"},
		ForwarderOut: {"nack pli", "rtcp-fb:96 nack"},
		Receiver:     {"transport-wide-cc", "nack pli", "usedtx=1"},
	} {
		for _, w := range want {
			if !strings.Contains(sdps[role], w) {
				t.Errorf("role %d offers no %q:\n%s", role, w, sdps[role])
			}
		}
	}
}
