// Package media turns devices and synthetic sources into WebRTC tracks, and
// remote tracks back into pictures and sound. It knows nothing of Fyne or
// of any room protocol: rooms use it through room.LocalMedia and
// room.TrackReceiver (Local and Remote implement them), and the app gets
// pictures through VideoSink.
package media

import (
	"fmt"

	"github.com/pion/interceptor"
	"github.com/pion/interceptor/pkg/cc"
	"github.com/pion/interceptor/pkg/gcc"
	"github.com/pion/rtcp"
	"github.com/pion/webrtc/v4"
)

// Payload types Kaigi offers. Rooms where the other side offers may
// negotiate others; tracks follow what was negotiated.
const (
	PayloadVP8  = 96
	PayloadOpus = 111
)

// APIOptions tune the WebRTC API for a participant.
type APIOptions struct {
	// OnBitrate receives congestion control's estimate of what the
	// network allows us to send, in bits per second (nil: ignored).
	OnBitrate func(bps int)
	// Setting carries network settings (e.g. loopback candidates for
	// tests); nil for defaults.
	Setting *webrtc.SettingEngine
}

// NewAPI builds a pion API that speaks VP8 and Opus with NACK, PLI, FIR
// and transport-wide congestion control feedback, and runs Google
// congestion control on what we send.
func NewAPI(opts APIOptions) (*webrtc.API, error) {
	m := &webrtc.MediaEngine{}
	fb := []webrtc.RTCPFeedback{
		{Type: webrtc.TypeRTCPFBNACK}, {Type: webrtc.TypeRTCPFBNACK, Parameter: "pli"},
		{Type: webrtc.TypeRTCPFBCCM, Parameter: "fir"}, {Type: webrtc.TypeRTCPFBGoogREMB},
		{Type: webrtc.TypeRTCPFBTransportCC},
	}
	if err := m.RegisterCodec(webrtc.RTPCodecParameters{
		RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000, RTCPFeedback: fb},
		PayloadType:        PayloadVP8,
	}, webrtc.RTPCodecTypeVideo); err != nil {
		return nil, fmt.Errorf("register VP8: %w", err)
	}
	if err := m.RegisterCodec(webrtc.RTPCodecParameters{
		RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2,
			SDPFmtpLine: "minptime=10;useinbandfec=1;usedtx=1", RTCPFeedback: []webrtc.RTCPFeedback{{Type: webrtc.TypeRTCPFBTransportCC}}},
		PayloadType: PayloadOpus,
	}, webrtc.RTPCodecTypeAudio); err != nil {
		return nil, fmt.Errorf("register Opus: %w", err)
	}
	// Order matters: congestion control's pacer must see packets after
	// the transport-wide sequence number is stamped on them.
	ir := &interceptor.Registry{}
	ccf, err := cc.NewInterceptor(func() (cc.BandwidthEstimator, error) {
		return gcc.NewSendSideBWE(gcc.SendSideBWEInitialBitrate(800_000), gcc.SendSideBWEMinBitrate(100_000), gcc.SendSideBWEMaxBitrate(2_500_000))
	})
	if err != nil {
		return nil, fmt.Errorf("congestion control: %w", err)
	}
	ccf.OnNewPeerConnection(func(_ string, est cc.BandwidthEstimator) {
		if opts.OnBitrate != nil {
			est.OnTargetBitrateChange(opts.OnBitrate)
		}
	})
	ir.Add(ccf)
	if err := webrtc.ConfigureTWCCHeaderExtensionSender(m, ir); err != nil {
		return nil, fmt.Errorf("twcc: %w", err)
	}
	if err := webrtc.RegisterDefaultInterceptors(m, ir); err != nil {
		return nil, fmt.Errorf("interceptors: %w", err)
	}
	apiOpts := []func(*webrtc.API){webrtc.WithMediaEngine(m), webrtc.WithInterceptorRegistry(ir)}
	if opts.Setting != nil {
		apiOpts = append(apiOpts, webrtc.WithSettingEngine(*opts.Setting))
	}
	return webrtc.NewAPI(apiOpts...), nil
}

// ReadKeyframeRequests reads a sender's RTCP until the sender closes,
// calling onRequest for every PLI or FIR (reading also lets the
// interceptors see NACKs and reports).
func ReadKeyframeRequests(sender *webrtc.RTPSender, onRequest func()) {
	for {
		pkts, _, err := sender.ReadRTCP()
		if err != nil {
			return
		}
		for _, p := range pkts {
			switch p.(type) {
			case *rtcp.PictureLossIndication, *rtcp.FullIntraRequest:
				onRequest()
			}
		}
	}
}
