package media

import (
	"context"
	"errors"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/webrtc/v4"
	"go.uber.org/goleak"

	"kaigi/media/pattern"
	"kaigi/media/tone"
	"kaigi/rtc"
	"kaigi/rtc/rtctest"
)

// connect makes a sending and a receiving PeerConnection on loopback, the
// sender carrying local's tracks and reading RTCP as a room would; every
// remote track goes to remote. It returns when both are connected.
func connect(t testing.TB, local *Local, remote *Remote) (send, recv *webrtc.PeerConnection, stop func()) {
	t.Helper()
	api, err := rtc.NewAPI(rtc.Config{Setting: rtc.Loopback(), OnBitrate: local.SetVideoBitrate})
	if err != nil {
		t.Fatal(err)
	}
	send, err = api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		t.Fatal(err)
	}
	recv, err = api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, tr := range []webrtc.TrackLocal{local.VideoTrack(), local.AudioTrack()} {
		sender, err := send.AddTrack(tr)
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			rtc.ReadKeyframeRequests(sender, local.RequestKeyframe)
		}()
	}
	recv.OnTrack(func(track *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			remote.ReceiveTrack(ctx, "alice", track, func() {
				_ = recv.WriteRTCP([]rtcp.Packet{&rtcp.PictureLossIndication{MediaSSRC: uint32(track.SSRC())}})
			})
		}()
	})
	rtctest.Connect(t, send, recv)
	return send, recv, func() {
		cancel()
		_ = send.Close()
		_ = recv.Close()
		wg.Wait()
	}
}

// TestLoopback sends the synthetic pattern and a tone over two real
// PeerConnections on loopback, and decodes them with the real codecs. It
// checks the path, not adaptation: on a machine slowed down (the race
// detector, a loaded CI) congestion control may rightly see delay and
// step the picture down.
func TestLoopback(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	local, err := NewLocal(LocalConfig{Video: pattern.NewSource(640, 480, 30, 1), Audio: tone.NewSource(523), NoAdaptation: true})
	if err != nil {
		t.Fatal(err)
	}
	remote, err := NewRemote(RemoteConfig{})
	if err != nil {
		t.Fatal(err)
	}
	_, _, stop := connect(t, local, remote)
	sentBefore := local.Stats().VideoFrames
	time.Sleep(4 * time.Second)
	sent := local.Stats().VideoFrames - sentBefore
	stats := remote.Stats()
	stop()
	if err := local.Close(); err != nil {
		t.Error(err)
	}
	if err := remote.Close(); err != nil {
		t.Error(err)
	}
	if len(stats) != 1 {
		t.Fatalf("stats for %d peers", len(stats))
	}
	s := stats[0]
	t.Logf("sent %d frames in 4 s; received %+v", sent, s)
	if float64(s.VideoFrames) < 0.95*float64(sent) {
		t.Errorf("decoded %d of %d frames", s.VideoFrames, sent)
	}
	if s.FrameGaps > sent/20 {
		t.Errorf("%d frames missing between stamps", s.FrameGaps)
	}
	if math.Abs(s.ToneHz-523) > 2 {
		t.Errorf("heard %.1f Hz, sent 523 Hz", s.ToneHz)
	}
	if s.Width != 640 || s.Height != 480 {
		t.Errorf("picture %dx%d", s.Width, s.Height)
	}
	if s.LatencyP50ms <= 0 || s.LatencyP50ms > 200 {
		t.Errorf("latency p50 %.1f ms", s.LatencyP50ms)
	}
}

// TestNoCamera: there is no camera on these machines; opening one must
// say so, not panic. (The camera path itself can only be exercised by
// the synthetic source.)
func TestNoCamera(t *testing.T) {
	cams, err := ListCameras()
	if err != nil {
		t.Fatal(err)
	}
	if len(cams) > 0 {
		t.Skipf("this machine has a camera: %+v", cams)
	}
	if _, err := OpenCamera("", 640, 480, 30); !errors.Is(err, ErrNoCamera) {
		t.Errorf("no camera: %v", err)
	}
	if _, err := NewLocal(LocalConfig{}); !errors.Is(err, ErrNoMedia) {
		t.Errorf("nothing to send: %v", err)
	}
}
