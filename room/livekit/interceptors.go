package livekit

import (
	"sync/atomic"

	lkinterceptor "github.com/livekit/mediatransportutil/pkg/interceptor"
	"github.com/pion/interceptor"

	"kaigi/media"
	"kaigi/room"
	"kaigi/rtc"
)

// interceptors is what the SDK's PeerConnections run instead of its own
// set (rtc.Interceptors): congestion control whose estimate sets our video
// encoder's bitrate, as in the Galène-protocol dialect, a watcher that
// turns the SFU's keyframe requests into RequestKeyframe and one that
// gives the SFU's reports of our audio's loss to SetAudioLoss (the SDK
// reads our senders' RTCP itself and drops it). A screen share, while it
// runs, takes its part of the estimate and the keyframe requests
// (share.go). A camera sent as simulcast layers takes its keyframe
// requests layer by layer (layers.go). silent hears whether the link has
// gone silent (the outbox holds chat meanwhile).
func interceptors(local room.LocalMedia, share *sharing, layers *atomic.Pointer[media.Layers], silent func(bool)) ([]interceptor.Factory, error) {
	toMedia := sendBitrate(local, share)
	fs, err := rtc.Interceptors(func(bps int) {
		silent(bps <= 0) // congestion control's stall: no feedback at all
		toMedia(bps)
	}, keyframes(local, share, layers))
	if err != nil {
		return nil, err
	}
	if l, ok := local.(lossAware); ok && local != nil {
		fs = append(fs, rtc.AudioLoss(l.SetAudioLoss))
	}
	// livekit-server measures its round trip to a publisher with RTCP XR
	// (a receiver reference time that the publisher answers), and spaces
	// its repeated NACKs by it. The SDK's own set answers; ours did not, so
	// the server assumed 70 ms and asked again for a packet lost twice only
	// every 70-110 ms: under 10 % uplink loss the receiver's longest freeze
	// was 0.35-0.40 s against livekit-client's 0.15-0.20 s.
	fs = append(fs, lkinterceptor.NewRTTFromXRFactory(func(uint32) {}))
	return fs, nil
}

// lossAware media size their audio's redundancy by the loss receivers
// report (media.Local does).
type lossAware interface {
	SetAudioLoss(fraction float64)
}
