package livekit

import (
	"fmt"
	"reflect"
	"time"
	"unsafe"

	"github.com/livekit/protocol/livekit"
	lksdk "github.com/livekit/server-sdk-go/v2"
	"github.com/pion/rtcp"
	"github.com/pion/webrtc/v4"
	pionmedia "github.com/pion/webrtc/v4/pkg/media"
	"go.uber.org/atomic"

	"kaigi/media"
	"kaigi/rtc"
)

// Simulcast: the camera is published the way livekit-client publishes it
// (media.SimulcastLayers: for 640x480, 240x180 and 640x480), one VP8
// encoder per layer fed by one capture. The server says which layers
// somebody receives (dynacast's subscribed-quality updates) and the
// encoders of the others rest; each layer answers its own keyframe
// requests. Encrypted rooms get one layer (publish.go says why).

// qualities are LiveKit's names for 1, 2 or 3 layers, lowest first (the
// SDK makes the RIDs q, h and f of them).
func qualities(n int) []livekit.VideoQuality {
	switch n {
	case 2:
		return []livekit.VideoQuality{livekit.VideoQuality_LOW, livekit.VideoQuality_HIGH}
	case 3:
		return []livekit.VideoQuality{livekit.VideoQuality_LOW, livekit.VideoQuality_MEDIUM, livekit.VideoQuality_HIGH}
	}
	return []livekit.VideoQuality{livekit.VideoQuality_HIGH}
}

// publishLayers publishes the camera as the layers lm offers.
func (s *session) publishLayers(lm media.Layered, layers []media.Layer) (*lksdk.LocalTrackPublication, error) {
	id := "kaigi-camera-" + fmt.Sprint(time.Now().UnixNano())
	qs := qualities(len(layers))
	tracks := make([]*lksdk.LocalTrack, len(layers))
	outs := make([]media.LayerOutput, len(layers))
	for i, ly := range layers {
		vl := &livekit.VideoLayer{Quality: qs[i], Width: uint32(ly.Width), Height: uint32(ly.Height), Bitrate: uint32(ly.MaxBitrate)}
		t, err := lksdk.NewLocalTrack(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000},
			lksdk.WithSimulcast(id, vl), lksdk.WithRTCPHandler(func(p rtcp.Packet) {
				if rtc.HasKeyframeRequest([]rtcp.Packet{p}) {
					if ls := s.layers.Load(); ls != nil {
						ls.RequestKeyframe(i)
					}
				}
			}))
		if err != nil {
			return nil, err
		}
		tracks[i] = t
		outs[i] = media.LayerOutput{Layer: ly, Paused: layerMuted(t), Write: func(frame []byte, d time.Duration) error {
			return t.WriteSample(pionmedia.Sample{Data: frame, Duration: d}, nil)
		}}
	}
	pub, err := s.lk.LocalParticipant.PublishSimulcastTrack(tracks, &lksdk.TrackPublicationOptions{Name: "camera", Source: livekit.TrackSource_CAMERA})
	if err != nil {
		return nil, err
	}
	s.layers.Store(lm.SendLayers(outs))
	return pub, nil
}

// layerMuted says whether the SDK has turned a simulcast layer off (the
// server's subscribed-quality update: nobody receives it). The SDK
// (v2.13.0) keeps that in an unexported field that only its own
// sample-provider loop reads, and offers no callback; our encoders run
// outside that loop, so the field is read here. If a later SDK renames
// it, layers are never paused (TestSimulcast's pause check then fails).
func layerMuted(t *lksdk.LocalTrack) func() bool {
	f := reflect.ValueOf(t).Elem().FieldByName("muted")
	if !f.IsValid() || f.Type() != reflect.TypeOf(atomic.Bool{}) {
		return nil
	}
	muted := (*atomic.Bool)(unsafe.Pointer(f.UnsafeAddr()))
	return muted.Load
}
