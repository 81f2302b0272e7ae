package rtc

import (
	"fmt"

	"github.com/pion/interceptor/pkg/cc"
	"github.com/pion/interceptor/pkg/gcc"
)

// Bounds of congestion control's estimate, in bits per second: it starts
// where the encoders start.
const (
	startBitrate = 800_000
	minBitrate   = 100_000
	maxBitrate   = 2_500_000
)

// congestionControl is Google congestion control on what a PeerConnection
// sends. pion computes the estimate but hands it to nobody: onBitrate
// (when set) receives every change, from any PeerConnection of the API.
// paced sends through gcc's leaky-bucket pacer, which spreads each frame
// over the estimate (and so delays it); unpaced, packets leave as they
// are written and only the estimate is computed.
func congestionControl(onBitrate func(bps int), paced bool) (*cc.InterceptorFactory, error) {
	f, err := cc.NewInterceptor(func() (cc.BandwidthEstimator, error) {
		opts := []gcc.Option{gcc.SendSideBWEInitialBitrate(startBitrate),
			gcc.SendSideBWEMinBitrate(minBitrate), gcc.SendSideBWEMaxBitrate(maxBitrate)}
		if !paced {
			opts = append(opts, gcc.SendSideBWEPacer(gcc.NewNoOpPacer()))
		}
		return gcc.NewSendSideBWE(opts...)
	})
	if err != nil {
		return nil, fmt.Errorf("congestion control: %w", err)
	}
	f.OnNewPeerConnection(func(_ string, est cc.BandwidthEstimator) {
		if onBitrate != nil {
			est.OnTargetBitrateChange(onBitrate)
		}
	})
	return f, nil
}
