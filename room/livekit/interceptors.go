package livekit

import (
	"github.com/pion/interceptor"

	"kaigi/room"
	"kaigi/rtc"
)

// interceptors is what the SDK's PeerConnections run instead of its own
// set (rtc.Interceptors): congestion control whose estimate sets our video
// encoder's bitrate, as in the Galène-protocol dialect, and a watcher that
// turns the SFU's keyframe requests into RequestKeyframe (the SDK reads
// our senders' RTCP itself and drops it).
func interceptors(local room.LocalMedia) ([]interceptor.Factory, error) {
	if local == nil {
		return rtc.Interceptors(nil, nil)
	}
	return rtc.Interceptors(local.SetVideoBitrate, local.RequestKeyframe)
}
