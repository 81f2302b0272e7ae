package rtc

import (
	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
	"github.com/pion/webrtc/v4"
)

// HasKeyframeRequest says whether pkts ask the sender for a keyframe (a
// PLI or a FIR).
func HasKeyframeRequest(pkts []rtcp.Packet) bool {
	for _, p := range pkts {
		switch p.(type) {
		case *rtcp.PictureLossIndication, *rtcp.FullIntraRequest:
			return true
		}
	}
	return false
}

// ReadKeyframeRequests reads a sender's RTCP until the sender closes,
// calling onRequest for every RTCP packet that asks for a keyframe
// (reading also lets the interceptors see NACKs and reports).
func ReadKeyframeRequests(sender *webrtc.RTPSender, onRequest func()) {
	readKeyframeRequests(sender.ReadRTCP, onRequest)
}

// ReadLayerKeyframeRequests is ReadKeyframeRequests for one simulcast
// layer (rid) of a sender: each layer's encoder answers its own.
func ReadLayerKeyframeRequests(sender *webrtc.RTPSender, rid string, onRequest func()) {
	readKeyframeRequests(func() ([]rtcp.Packet, interceptor.Attributes, error) { return sender.ReadSimulcastRTCP(rid) }, onRequest)
}

func readKeyframeRequests(read func() ([]rtcp.Packet, interceptor.Attributes, error), onRequest func()) {
	for {
		pkts, _, err := read()
		if err != nil {
			return
		}
		if HasKeyframeRequest(pkts) {
			onRequest()
		}
	}
}

// KeyframeRequests is an interceptor that calls onRequest for every RTCP
// packet that asks for a keyframe: for SDKs that read our senders' RTCP
// themselves and drop it (LiveKit's), where ReadKeyframeRequests cannot
// be used and a new subscriber would otherwise wait for the next
// periodic keyframe.
func KeyframeRequests(onRequest func()) interceptor.Factory { return keyframeFactory{onRequest} }

type keyframeFactory struct{ onRequest func() }

func (f keyframeFactory) NewInterceptor(string) (interceptor.Interceptor, error) {
	return &keyframeWatcher{onRequest: f.onRequest}, nil
}

type keyframeWatcher struct {
	interceptor.NoOp
	onRequest func()
}

func (k *keyframeWatcher) BindRTCPReader(reader interceptor.RTCPReader) interceptor.RTCPReader {
	return interceptor.RTCPReaderFunc(func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
		n, attr, err := reader.Read(b, a)
		if err != nil {
			return n, attr, err
		}
		if pkts, perr := rtcp.Unmarshal(b[:n]); perr == nil && HasKeyframeRequest(pkts) {
			k.onRequest()
		}
		return n, attr, err
	})
}
