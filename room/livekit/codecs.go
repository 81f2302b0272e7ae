package livekit

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	lksdk "github.com/livekit/server-sdk-go/v2"
	"github.com/livekit/server-sdk-go/v2/signalling"
	"github.com/pion/webrtc/v4"

	"kaigi/media"
)

// redPayloadType is RED's payload type, as livekit-client offers it.
const redPayloadType = 63

// offeredCodecs is what the SDK offers when not told otherwise (pion's
// default codecs), RED (RFC 2198) for audio, and NACK for audio. The SDK
// has no public option for its codecs; its connect options are functions
// of its public parameters, one of which is the codec list.
var offeredCodecs = sync.OnceValues(func() ([]webrtc.RTPCodecParameters, error) {
	m := &webrtc.MediaEngine{}
	if err := m.RegisterDefaultCodecs(); err != nil {
		return nil, err
	}
	// pion lists a media engine's codecs only through a transceiver's
	// parameters.
	pc, err := webrtc.NewAPI(webrtc.WithMediaEngine(m)).NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return nil, err
	}
	defer pc.Close()
	codecs := []webrtc.RTPCodecParameters{{RTPCodecCapability: media.REDCodec, PayloadType: redPayloadType}}
	for _, kind := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeAudio, webrtc.RTPCodecTypeVideo} {
		tr, err := pc.AddTransceiverFromKind(kind)
		if err != nil {
			return nil, err
		}
		codecs = append(codecs, tr.Sender().GetParameters().Codecs...)
	}
	return codecs, nil
})

// withCodecs makes the SDK's PeerConnections offer:
//
// RED (red): LiveKit then takes our sound with earlier packets' frames
// repeated in each (media/red.go), as it takes livekit-client's, and sends
// us others' so. Offered only if what we send can be sent so: with RED
// negotiated, plain Opus from us reached nobody (the SDK cannot tell the
// server that the track is not RED).
//
// NACK for audio (nackAudio): livekit-server then asks again for a lost
// packet of plain Opus (not of RED: it keeps no retransmission queue for
// it), which is how our sound goes in end-to-end encrypted rooms, and we
// ask again for one lost on the way to us.
//
// No RTX for video (noRTX: when our camera goes as simulcast layers). The
// SDK's layers carry their rid only on the media packets, and it
// negotiates no repaired-rtp-stream-id: livekit-server cannot tell which
// layer an RTX packet repairs, and under 10 % loss the receiver got
// 0.6 fps (TestLossyUplink). Without RTX, retransmissions go on the
// layer's own SSRC, which the server places.
func withCodecs(red, nackAudio, noRTX bool) (lksdk.ConnectOption, error) {
	all, err := offeredCodecs()
	if err != nil {
		return nil, fmt.Errorf("codecs: %w", err)
	}
	codecs := slices.DeleteFunc(slices.Clone(all), func(c webrtc.RTPCodecParameters) bool {
		return (!red && c.PayloadType == redPayloadType) ||
			(noRTX && strings.EqualFold(c.MimeType, webrtc.MimeTypeRTX) && c.PayloadType != redPayloadType && isVideoRTX(all, c))
	})
	for i, c := range codecs {
		if nackAudio && strings.HasPrefix(strings.ToLower(c.MimeType), "audio/") {
			codecs[i].RTCPFeedback = append(slices.Clone(c.RTCPFeedback), webrtc.RTCPFeedback{Type: webrtc.TypeRTCPFBNACK})
		}
	}
	return func(p *signalling.ConnectParams) { p.Codecs = codecs }, nil
}

// isVideoRTX says whether rtx repairs a video codec of all (its apt).
func isVideoRTX(all []webrtc.RTPCodecParameters, rtx webrtc.RTPCodecParameters) bool {
	for _, c := range all {
		if rtx.SDPFmtpLine == fmt.Sprintf("apt=%d", c.PayloadType) {
			return strings.HasPrefix(strings.ToLower(c.MimeType), "video/")
		}
	}
	return false
}
