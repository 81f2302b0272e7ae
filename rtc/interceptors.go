package rtc

import (
	"fmt"

	"github.com/pion/interceptor"
	"github.com/pion/interceptor/pkg/nack"
	"github.com/pion/interceptor/pkg/report"
	"github.com/pion/interceptor/pkg/twcc"
)

// Interceptors is a Participant's set for an SDK that builds its own media
// engine and API and takes only a list of interceptors (LiveKit's):
// congestion control with its estimate going to onBitrate, transport-wide
// sequence numbers on what we send and feedback on what we receive, NACK
// both ways, RTCP reports, and, when onKeyframe is set, a watcher that
// calls it on every keyframe request. The SDK's media engine must offer
// transport-wide feedback and its header extension (LiveKit's does).
//
// Unlike NewAPI's, this congestion control does not pace: LiveKit's SDK
// sent unpaced before it had an estimate, and with gcc's pacer the median
// latency between two participants of a LiveKit room here rose from
// 41–46 ms to 48–91 ms (runs under varying load); unpaced it stayed at
// 41–51 ms.
func Interceptors(onBitrate func(bps int), onKeyframe func()) ([]interceptor.Factory, error) {
	// The first in the list sits nearest the network: congestion
	// control must see packets after their transport-wide sequence
	// number is stamped.
	cc, err := congestionControl(onBitrate, false)
	if err != nil {
		return nil, err
	}
	fs := []interceptor.Factory{cc}
	for _, b := range []struct {
		name  string
		build func() (interceptor.Factory, error)
	}{
		{"transport-wide sequence numbers", func() (interceptor.Factory, error) { return twcc.NewHeaderExtensionInterceptor() }},
		{"NACK generator", func() (interceptor.Factory, error) { return nack.NewGeneratorInterceptor() }},
		{"NACK responder", func() (interceptor.Factory, error) { return nack.NewResponderInterceptor() }},
		{"receiver reports", func() (interceptor.Factory, error) { return report.NewReceiverInterceptor() }},
		{"sender reports", func() (interceptor.Factory, error) { return report.NewSenderInterceptor() }},
		{"transport-wide feedback", func() (interceptor.Factory, error) { return twcc.NewSenderInterceptor() }},
	} {
		f, err := b.build()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", b.name, err)
		}
		fs = append(fs, f)
	}
	if onKeyframe != nil {
		fs = append(fs, KeyframeRequests(onKeyframe))
	}
	return fs, nil
}
