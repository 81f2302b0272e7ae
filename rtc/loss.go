package rtc

import (
	"strings"
	"sync"

	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
)

// AudioLoss is an interceptor that calls onLoss with the fraction (0..1)
// of our audio packets the other side says it lost, from every RTCP
// receiver report about an audio stream we send: what the Opus encoder's
// in-band FEC should expect. For SDKs that read our senders' RTCP
// themselves (LiveKit's); the SFU's reports cover the path to it.
func AudioLoss(onLoss func(fraction float64)) interceptor.Factory { return lossFactory{onLoss} }

type lossFactory struct{ onLoss func(float64) }

func (f lossFactory) NewInterceptor(string) (interceptor.Interceptor, error) {
	return &lossWatcher{onLoss: f.onLoss, audio: map[uint32]bool{}}, nil
}

type lossWatcher struct {
	interceptor.NoOp
	onLoss func(float64)
	mu     sync.Mutex
	audio  map[uint32]bool // SSRCs of the audio we send
}

func (w *lossWatcher) BindLocalStream(info *interceptor.StreamInfo, writer interceptor.RTPWriter) interceptor.RTPWriter {
	if strings.HasPrefix(strings.ToLower(info.MimeType), "audio/") {
		w.mu.Lock()
		w.audio[info.SSRC] = true
		w.mu.Unlock()
	}
	return writer
}

func (w *lossWatcher) UnbindLocalStream(info *interceptor.StreamInfo) {
	w.mu.Lock()
	delete(w.audio, info.SSRC)
	w.mu.Unlock()
}

func (w *lossWatcher) BindRTCPReader(reader interceptor.RTCPReader) interceptor.RTCPReader {
	return interceptor.RTCPReaderFunc(func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
		n, attr, err := reader.Read(b, a)
		if err != nil {
			return n, attr, err
		}
		if attr == nil {
			attr = interceptor.Attributes{}
		}
		pkts, perr := attr.GetRTCPPackets(b[:n])
		if perr != nil {
			return n, attr, err
		}
		for _, p := range pkts {
			var reports []rtcp.ReceptionReport
			switch r := p.(type) {
			case *rtcp.ReceiverReport:
				reports = r.Reports
			case *rtcp.SenderReport:
				reports = r.Reports
			}
			for _, r := range reports {
				w.mu.Lock()
				ours := w.audio[r.SSRC]
				w.mu.Unlock()
				if ours {
					w.onLoss(float64(r.FractionLost) / 256)
				}
			}
		}
		return n, attr, err
	})
}
