package rtc

import (
	"context"
	"crypto/rand"
	"kaigi/rtc/rtctest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v4"
	"github.com/pion/webrtc/v4/pkg/media"
)

func TestHasKeyframeRequest(t *testing.T) {
	for _, c := range []struct {
		name string
		pkts []rtcp.Packet
		want bool
	}{
		{"none", nil, false},
		{"PLI", []rtcp.Packet{&rtcp.PictureLossIndication{MediaSSRC: 1}}, true},
		{"FIR", []rtcp.Packet{&rtcp.FullIntraRequest{MediaSSRC: 1}}, true},
		{"report then PLI", []rtcp.Packet{&rtcp.ReceiverReport{}, &rtcp.PictureLossIndication{}}, true},
		{"NACK", []rtcp.Packet{&rtcp.TransportLayerNack{}}, false},
	} {
		if got := HasKeyframeRequest(c.pkts); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestLoopbackInterface(t *testing.T) {
	if isLoopbackInterface("no-such-interface") {
		t.Error("an unknown interface is loopback")
	}
	for _, h := range []string{"localhost", "127.0.0.1", "::1"} {
		if !IsLoopbackHost(h) {
			t.Errorf("%s is not loopback", h)
		}
	}
	for _, h := range []string{"example.org", "192.168.1.2", ""} {
		if IsLoopbackHost(h) {
			t.Errorf("%s is loopback", h)
		}
	}
}

func TestInterceptorsBuild(t *testing.T) {
	fs, err := Interceptors(nil, nil)
	if err != nil || len(fs) != 7 {
		t.Fatalf("%d interceptors, %v", len(fs), err)
	}
	fs, err = Interceptors(nil, func() {})
	if err != nil || len(fs) != 8 {
		t.Fatalf("with the keyframe watcher: %d interceptors, %v", len(fs), err)
	}
}

// sdkAPI builds an API the way an SDK that takes only interceptors does
// (LiveKit's): its own media engine, offering transport-wide feedback.
func sdkAPI(t *testing.T, fs []interceptor.Factory) *webrtc.API {
	t.Helper()
	m := &webrtc.MediaEngine{}
	for _, c := range Codecs(Participant) {
		kind := webrtc.RTPCodecTypeAudio
		if c.MimeType == webrtc.MimeTypeVP8 {
			kind = webrtc.RTPCodecTypeVideo
		}
		if err := m.RegisterCodec(c, kind); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.RegisterHeaderExtension(webrtc.RTPHeaderExtensionCapability{URI: sdp.TransportCCURI}, webrtc.RTPCodecTypeVideo); err != nil {
		t.Fatal(err)
	}
	ir := &interceptor.Registry{}
	for _, f := range fs {
		ir.Add(f)
	}
	s := *Loopback()
	return webrtc.NewAPI(webrtc.WithMediaEngine(m), webrtc.WithInterceptorRegistry(ir), webrtc.WithSettingEngine(s))
}

// TestEstimateAndKeyframes sends video between two PeerConnections on
// loopback, the receiver an API of NewAPI, the sender each way Kaigi
// builds a sender: congestion control's estimate must reach OnBitrate,
// and the receiver's PLI must reach whoever sends.
func TestEstimateAndKeyframes(t *testing.T) {
	recvAPI, err := NewAPI(Config{Setting: Loopback()})
	if err != nil {
		t.Fatal(err)
	}
	for _, way := range []string{"NewAPI", "Interceptors"} {
		t.Run(way, func(t *testing.T) {
			var estimates, keyframes atomic.Int64
			var last atomic.Int64
			onBitrate := func(bps int) { estimates.Add(1); last.Store(int64(bps)) }
			onKeyframe := func() { keyframes.Add(1) }
			var sendAPI *webrtc.API
			if way == "NewAPI" {
				sendAPI, err = NewAPI(Config{OnBitrate: onBitrate, Setting: Loopback()})
				if err != nil {
					t.Fatal(err)
				}
			} else {
				fs, err := Interceptors(onBitrate, onKeyframe)
				if err != nil {
					t.Fatal(err)
				}
				sendAPI = sdkAPI(t, fs)
			}
			send, err := sendAPI.NewPeerConnection(webrtc.Configuration{})
			if err != nil {
				t.Fatal(err)
			}
			defer send.Close()
			recv, err := recvAPI.NewPeerConnection(webrtc.Configuration{})
			if err != nil {
				t.Fatal(err)
			}
			defer recv.Close()
			track, err := webrtc.NewTrackLocalStaticSample(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000}, "video", "kaigi")
			if err != nil {
				t.Fatal(err)
			}
			sender, err := send.AddTrack(track)
			if err != nil {
				t.Fatal(err)
			}
			if way == "NewAPI" {
				go ReadKeyframeRequests(sender, onKeyframe)
			} else {
				go func() { // as the SDK does: read and drop
					for {
						if _, _, err := sender.ReadRTCP(); err != nil {
							return
						}
					}
				}()
			}
			recv.OnTrack(func(tr *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
				_ = recv.WriteRTCP([]rtcp.Packet{&rtcp.PictureLossIndication{MediaSSRC: uint32(tr.SSRC())}})
				for {
					if _, _, err := tr.ReadRTP(); err != nil {
						return
					}
				}
			})
			rtctest.Connect(t, send, recv)
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			frame := make([]byte, 4000) // ~1 Mbit/s at 30 frames per second
			tick := time.NewTicker(33 * time.Millisecond)
			defer tick.Stop()
			for estimates.Load() == 0 || keyframes.Load() == 0 {
				select {
				case <-ctx.Done():
					t.Fatalf("after 15 s: %d estimates, %d keyframe requests", estimates.Load(), keyframes.Load())
				case <-tick.C:
				}
				_, _ = rand.Read(frame)
				if err := track.WriteSample(media.Sample{Data: frame, Duration: 33 * time.Millisecond}); err != nil {
					t.Fatal(err)
				}
			}
			if bps := last.Load(); bps < minBitrate || bps > maxBitrate {
				t.Errorf("estimate %d bit/s outside %d..%d", bps, minBitrate, maxBitrate)
			}
		})
	}
}
