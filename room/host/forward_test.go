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
		return &downTrack{local: local, video: true, on: true}
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
