// Package rtc sets up pion's WebRTC the one way Kaigi uses it: the codecs
// and their payload types, the interceptors (congestion control with its
// estimate delivered to whoever sends, NACK, reports, transport-wide
// feedback), keyframe requests, network settings and the queue of ICE
// candidates that arrive early. Every room dialect and the host build
// their WebRTC through it; it knows nothing of rooms, codecs' C libraries
// or the user interface.
package rtc

import (
	"errors"
	"fmt"

	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/interceptor/pkg/nack"
	"github.com/pion/interceptor/pkg/report"
	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v4"
)

// Payload types Kaigi offers. Rooms where the other side offers may
// negotiate others; tracks follow what was negotiated.
const (
	PayloadVP8  = 96
	PayloadOpus = 111
	PayloadRED  = 63 // as livekit-client offers it
)

// RED is redundant audio (RFC 2198) carrying Opus (payload type 111), one
// redundant block: offered beside Opus and used only where both ends
// take it (room/galene switches to it after the answer; room/host
// forwards it as it comes). media.REDCodec is the same.
var RED = webrtc.RTPCodecCapability{MimeType: "audio/red", ClockRate: 48000, Channels: 2, SDPFmtpLine: "111/111"}

// Role says which end of the media an API serves.
type Role int

const (
	// Participant sends its own media and receives others': congestion
	// control runs on what it sends.
	Participant Role = iota
	// ForwarderIn is a server's PeerConnection that takes what a
	// participant sends (room/host's up streams): it asks again for what
	// is lost (NACK), reports reception and gives the transport-wide
	// feedback the sender's congestion control runs on. It sends no
	// media, so nothing that watches sent media runs.
	ForwarderIn
	// ForwarderOut is a server's PeerConnection that passes others' media
	// on to a participant (room/host's down streams): it resends what the
	// participant reports lost from a packet cache and sends sender
	// reports. It receives no media, so nothing that watches received
	// media runs. Neither forwarder runs congestion control of its own,
	// or has codec wishes beyond what its senders and receivers say.
	ForwarderOut
	// Receiver is a participant's PeerConnection that only takes media
	// (room/galene's down streams, one per sender): what ForwarderIn
	// runs, without congestion control, whose pacer ticks every 5 ms in
	// each PeerConnection whether it sends or not (49 of them in a
	// meeting of 50).
	Receiver
)

// forwarderCache is how many packets a ForwarderOut keeps per video
// stream to resend (pion's default is 1024): 0.85 s at 1.5 Mbit/s (~150
// packets a second), 3-4 s of a small tile's layer; a NACK answered later
// than that comes after the receiver has given the picture up. Each
// packet holds a 1,460-byte buffer: at 1024, 12 videos to 38 people (456
// caches) would hold ~700 MB once full; at 256 they held 173 MB of the
// host's 384 MB heap after a minute.
const forwarderCache = 128

// Config tunes an API.
type Config struct {
	Role Role
	// OnBitrate receives congestion control's estimate of what the
	// network allows a participant to send, in bits per second (nil:
	// nobody listens). 0 says the link has stalled: transport-wide
	// feedback stopped while we sent (stall.go), so send the least until
	// the next estimate. A Forwarder has no estimate.
	OnBitrate func(bps int)
	// OnAudioLoss receives the fraction (0..1) of our audio the other
	// side reports lost (AudioLoss), for the Opus encoder's expected
	// loss; nil: nobody listens. A participant's only.
	OnAudioLoss func(fraction float64)
	// Setting carries network settings (Loopback, for one machine);
	// nil for defaults.
	Setting *webrtc.SettingEngine
}

// videoFeedback is the RTCP feedback Kaigi offers for video: NACK, PLI and
// FIR (what the Galène protocol's servers act on), REMB, and
// transport-wide congestion control.
var videoFeedback = []webrtc.RTCPFeedback{
	{Type: webrtc.TypeRTCPFBNACK}, {Type: webrtc.TypeRTCPFBNACK, Parameter: "pli"},
	{Type: webrtc.TypeRTCPFBCCM, Parameter: "fir"}, {Type: webrtc.TypeRTCPFBGoogREMB},
	{Type: webrtc.TypeRTCPFBTransportCC},
}

// opusFmtp is the Opus format line for each role: a participant's decoder
// copes with discontinuous transmission; a forwarder cannot speak for the
// decoders behind it, so it asks for none.
func opusFmtp(r Role) string {
	if r == Participant || r == Receiver {
		return "minptime=10;useinbandfec=1;usedtx=1"
	}
	return "minptime=10;useinbandfec=1"
}

// Codecs are VP8, Opus and RED with Kaigi's payload types, as role offers
// them. Opus comes before RED: a track of plain Opus is sent as Opus
// whatever the other side takes.
func Codecs(role Role) []webrtc.RTPCodecParameters {
	return []webrtc.RTPCodecParameters{
		{RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000, RTCPFeedback: videoFeedback},
			PayloadType: PayloadVP8},
		{RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2,
			SDPFmtpLine: opusFmtp(role), RTCPFeedback: []webrtc.RTCPFeedback{{Type: webrtc.TypeRTCPFBTransportCC}}},
			PayloadType: PayloadOpus},
		{RTPCodecCapability: RED, PayloadType: PayloadRED},
	}
}

// NewAPI builds a pion API that speaks VP8 and Opus with NACK, PLI, FIR
// and transport-wide feedback; a Participant's also runs Google congestion
// control on what it sends. A forwarder's runs only what its direction
// needs (forwarderInterceptors).
func NewAPI(c Config) (*webrtc.API, error) {
	m := &webrtc.MediaEngine{}
	for _, codec := range Codecs(c.Role) {
		kind := webrtc.RTPCodecTypeAudio
		if codec.MimeType == webrtc.MimeTypeVP8 {
			kind = webrtc.RTPCodecTypeVideo
		}
		if err := m.RegisterCodec(codec, kind); err != nil {
			return nil, fmt.Errorf("register %s: %w", codec.MimeType, err)
		}
	}
	// Simulcast (rid-based, as Galène and browsers send it) needs the
	// stream's mid and rid in the first packets of each layer.
	for _, uri := range []string{sdp.SDESMidURI, sdp.SDESRTPStreamIDURI, sdp.SDESRepairRTPStreamIDURI} {
		if err := m.RegisterHeaderExtension(webrtc.RTPHeaderExtensionCapability{URI: uri}, webrtc.RTPCodecTypeVideo); err != nil {
			return nil, fmt.Errorf("header extension %s: %w", uri, err)
		}
	}
	ir := &interceptor.Registry{}
	if c.Role != Participant {
		if err := forwarderInterceptors(c.Role, m, ir); err != nil {
			return nil, err
		}
		if c.Role == Receiver {
			return webrtc.NewAPI(opts(m, ir, c.Setting)...), nil
		}
		// No multicast DNS: it resolves other machines' .local
		// candidates, and pion opens a multicast socket and two
		// goroutines for it per PeerConnection. Browsers that hide
		// their addresses behind .local names still connect, through
		// the peer-reflexive candidates their checks reveal.
		se := settings(c.Setting)
		se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
		return webrtc.NewAPI(webrtc.WithMediaEngine(m), webrtc.WithInterceptorRegistry(ir), webrtc.WithSettingEngine(se)), nil
	}
	// Order matters: congestion control's pacer must see packets
	// after the transport-wide sequence number is stamped on them
	// (the first registered sits nearest the network).
	cc, err := congestionControl(c.OnBitrate, true)
	if err != nil {
		return nil, err
	}
	ir.Add(cc)
	if c.OnAudioLoss != nil {
		ir.Add(AudioLoss(c.OnAudioLoss))
	}
	if err := webrtc.ConfigureTWCCHeaderExtensionSender(m, ir); err != nil {
		return nil, fmt.Errorf("transport-wide sequence numbers: %w", err)
	}
	// NACK generator on what we receive, NACK responder (a packet cache)
	// on what we send, RTCP reports, and transport-wide feedback so that
	// senders' congestion control works.
	if err := webrtc.RegisterDefaultInterceptors(m, ir); err != nil {
		return nil, fmt.Errorf("interceptors: %w", err)
	}
	return webrtc.NewAPI(opts(m, ir, c.Setting)...), nil
}

func opts(m *webrtc.MediaEngine, ir *interceptor.Registry, setting *webrtc.SettingEngine) []func(*webrtc.API) {
	return []func(*webrtc.API){webrtc.WithMediaEngine(m), webrtc.WithInterceptorRegistry(ir), webrtc.WithSettingEngine(settings(setting))}
}

// replayWindow is how far behind the newest packet an SRTP (and SRTCP)
// packet may come and still be taken, in packets; libwebrtc's is 1024.
// pion's default, 64, is 0.4 s of a 1.5 Mb/s video: a retransmission
// NACKed later than that was dropped on arrival as a replay, so the
// receiver asked again, every 100 ms, for every packet of its NACK window,
// and the sender's pacer spent itself on repairs that could not land.
// After a 20 s outage that was ~5,000 packets asked for a second and 15-20
// pictures a second arriving instead of 30, for 10 s (TestOutageHosted).
const replayWindow = 1024

// settings is s (nil: the defaults) with our replay windows.
func settings(s *webrtc.SettingEngine) webrtc.SettingEngine {
	se := webrtc.SettingEngine{}
	if s != nil {
		se = *s
	}
	se.SetSRTPReplayProtectionWindow(replayWindow)
	se.SetSRTCPReplayProtectionWindow(replayWindow)
	return se
}

// forwarderInterceptors are a forwarder's (or a Receiver's), by
// direction. Unlike
// pion's defaults (every PeerConnection both ways, and a statistics
// interceptor copying every packet's header for GetStats, which the host
// never calls), each loop and cache here works: a host of 50 people has
// ~2,450 PeerConnections, and each interceptor loop is a goroutine with a
// ticker in every one.
func forwarderInterceptors(role Role, m *webrtc.MediaEngine, ir *interceptor.Registry) error {
	var fs []interceptor.Factory
	var err error
	add := func(f interceptor.Factory, e error) {
		fs = append(fs, f)
		err = errors.Join(err, e)
	}
	switch role {
	case ForwarderIn, Receiver:
		add(nack.NewGeneratorInterceptor())
		add(report.NewReceiverInterceptor())
		// Transport-wide feedback, and its header extension in the SDP.
		err = errors.Join(err, webrtc.ConfigureTWCCSender(m, ir))
	case ForwarderOut:
		add(nack.NewResponderInterceptor(nack.ResponderSize(forwarderCache)))
		add(report.NewSenderInterceptor())
	}
	if err != nil {
		return fmt.Errorf("interceptors: %w", err)
	}
	for _, f := range fs {
		ir.Add(f)
	}
	return nil
}
