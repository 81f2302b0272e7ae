package livekit

import (
	"github.com/pion/interceptor"
	"github.com/pion/interceptor/pkg/nack"
	"github.com/pion/interceptor/pkg/report"
	"github.com/pion/interceptor/pkg/twcc"
	"github.com/pion/rtcp"

	"kaigi/room"
)

// interceptors is the SDK's usual set (NACK both ways, RTCP reports,
// transport-wide sequence numbers) plus one that turns the SFU's keyframe
// requests into RequestKeyframe: the SDK reads our senders' RTCP itself
// and drops it, so without this a new subscriber would wait for the next
// periodic keyframe.
func interceptors(local room.LocalMedia) []interceptor.Factory {
	var fs []interceptor.Factory
	if f, err := nack.NewGeneratorInterceptor(); err == nil {
		fs = append(fs, f)
	}
	if f, err := nack.NewResponderInterceptor(); err == nil {
		fs = append(fs, f)
	}
	if f, err := report.NewReceiverInterceptor(); err == nil {
		fs = append(fs, f)
	}
	if f, err := report.NewSenderInterceptor(); err == nil {
		fs = append(fs, f)
	}
	if f, err := twcc.NewSenderInterceptor(); err == nil {
		fs = append(fs, f)
	}
	if local != nil {
		fs = append(fs, keyframeFactory{local})
	}
	return fs
}

type keyframeFactory struct{ local room.LocalMedia }

func (f keyframeFactory) NewInterceptor(string) (interceptor.Interceptor, error) {
	return &keyframeWatcher{local: f.local}, nil
}

type keyframeWatcher struct {
	interceptor.NoOp
	local room.LocalMedia
}

func (k *keyframeWatcher) BindRTCPReader(reader interceptor.RTCPReader) interceptor.RTCPReader {
	return interceptor.RTCPReaderFunc(func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
		n, attr, err := reader.Read(b, a)
		if err != nil {
			return n, attr, err
		}
		if pkts, perr := rtcp.Unmarshal(b[:n]); perr == nil {
			for _, p := range pkts {
				switch p.(type) {
				case *rtcp.PictureLossIndication, *rtcp.FullIntraRequest:
					k.local.RequestKeyframe()
				}
			}
		}
		return n, attr, err
	})
}
