package rtc

import (
	"github.com/pion/rtp"
	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v4"
)

// SimulcastLayer wraps one layer (a track with a RID) of a simulcast
// sender so that its packets carry the stream's mid and the layer's rid
// (RFC 8852), which is how a receiver tells the layers apart: pion sends
// neither by itself, and a receiver without them cannot place the
// layers' SSRCs. mid is the transceiver's, known once the offer is made.
func SimulcastLayer(t webrtc.TrackLocal, mid func() string) webrtc.TrackLocal {
	return &layerTrack{TrackLocal: t, mid: mid}
}

type layerTrack struct {
	webrtc.TrackLocal
	mid func() string
}

// Codec passes on the wrapped track's (end-to-end encryption and the
// SDKs read it).
func (t *layerTrack) Codec() webrtc.RTPCodecCapability {
	if c, ok := t.TrackLocal.(interface {
		Codec() webrtc.RTPCodecCapability
	}); ok {
		return c.Codec()
	}
	return webrtc.RTPCodecCapability{}
}

func (t *layerTrack) Bind(ctx webrtc.TrackLocalContext) (webrtc.RTPCodecParameters, error) {
	w := &layerWriter{out: ctx.WriteStream(), rid: t.RID(), mid: t.mid}
	for _, e := range ctx.HeaderExtensions() {
		switch e.URI {
		case sdp.SDESMidURI:
			w.midID = uint8(e.ID)
		case sdp.SDESRTPStreamIDURI:
			w.ridID = uint8(e.ID)
		}
	}
	return t.TrackLocal.Bind(WritingTo(ctx, w))
}

// WritingTo is ctx with w as its writer: a track that wraps another (to
// stamp, encrypt or count what it writes) binds the inner one to it.
func WritingTo(ctx webrtc.TrackLocalContext, w webrtc.TrackLocalWriter) webrtc.TrackLocalContext {
	return writerContext{TrackLocalContext: ctx, w: w}
}

type writerContext struct {
	webrtc.TrackLocalContext
	w webrtc.TrackLocalWriter
}

func (c writerContext) WriteStream() webrtc.TrackLocalWriter { return c.w }

type layerWriter struct {
	out          webrtc.TrackLocalWriter
	rid          string
	mid          func() string
	midID, ridID uint8
}

func (w *layerWriter) WriteRTP(h *rtp.Header, payload []byte) (int, error) {
	if w.midID != 0 {
		if mid := w.mid(); mid != "" {
			_ = h.SetExtension(w.midID, []byte(mid))
		}
	}
	if w.ridID != 0 {
		_ = h.SetExtension(w.ridID, []byte(w.rid))
	}
	return w.out.WriteRTP(h, payload)
}

func (w *layerWriter) Write(b []byte) (int, error) {
	var p rtp.Packet
	if err := p.Unmarshal(b); err != nil {
		return 0, err
	}
	return w.WriteRTP(&p.Header, p.Payload)
}
