package livekit

import (
	"fmt"
	"sync"

	lksdk "github.com/livekit/server-sdk-go/v2"
	"github.com/livekit/server-sdk-go/v2/signalling"
	"github.com/pion/webrtc/v4"

	"kaigi/media"
)

// redPayloadType is RED's payload type, as livekit-client offers it.
const redPayloadType = 63

// codecsWithRED is what the SDK offers when not told otherwise (pion's
// default codecs) and RED (RFC 2198) for audio: LiveKit then takes our
// sound with each packet's frame repeated in the next, as it takes
// livekit-client's, and sends us others' so. The SDK has no public option
// for its codecs; its connect options are functions of its public
// parameters, one of which is the codec list.
var codecsWithRED = sync.OnceValues(func() ([]webrtc.RTPCodecParameters, error) {
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

// withRED makes the SDK's PeerConnections offer RED.
func withRED() (lksdk.ConnectOption, error) {
	codecs, err := codecsWithRED()
	if err != nil {
		return nil, fmt.Errorf("codecs: %w", err)
	}
	return func(p *signalling.ConnectParams) { p.Codecs = codecs }, nil
}
