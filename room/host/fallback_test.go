package host

import (
	"bytes"
	"testing"

	"github.com/pion/interceptor"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"

	"kaigi/rtc"
)

// bound is a receiver's side of a binding: the codecs its answer took,
// and what was written to it.
type bound struct {
	codecs  []webrtc.RTPCodecParameters
	written [][]byte
	pts     []uint8
}

func (b *bound) CodecParameters() []webrtc.RTPCodecParameters           { return b.codecs }
func (b *bound) HeaderExtensions() []webrtc.RTPHeaderExtensionParameter { return nil }
func (b *bound) SSRC() webrtc.SSRC                                      { return 5 }
func (b *bound) SSRCRetransmission() webrtc.SSRC                        { return 0 }
func (b *bound) SSRCForwardErrorCorrection() webrtc.SSRC                { return 0 }
func (b *bound) WriteStream() webrtc.TrackLocalWriter                   { return b }
func (b *bound) ID() string                                             { return "b" }
func (b *bound) RTCPReader() interceptor.RTCPReader                     { return nil }
func (b *bound) Write(p []byte) (int, error)                            { return len(p), nil }
func (b *bound) WriteRTP(h *rtp.Header, payload []byte) (int, error) {
	b.written = append(b.written, append([]byte(nil), payload...))
	b.pts = append(b.pts, h.PayloadType)
	return len(payload), nil
}

// TestREDFallback: a RED up track reaches a receiver that took RED as
// RED, and one that took Opus alone as the primary Opus of each packet
// (as plain RED it could not be bound at all).
func TestREDFallback(t *testing.T) {
	opus := webrtc.RTPCodecParameters{RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2}, PayloadType: 111}
	red := webrtc.RTPCodecParameters{RTPCodecCapability: rtc.RED, PayloadType: 63}
	payload := []byte{0x80 | 111, 15, 0, 3, 111, 1, 2, 3, 4, 5, 6, 7}
	for _, c := range []struct {
		name   string
		codecs []webrtc.RTPCodecParameters
		want   []byte
		pt     uint8
	}{
		{"takes RED", []webrtc.RTPCodecParameters{opus, red}, payload, 63},
		{"takes Opus alone", []webrtc.RTPCodecParameters{opus}, []byte{4, 5, 6, 7}, 111},
	} {
		f, err := newREDFallback("audio", "s")
		if err != nil {
			t.Fatal(err)
		}
		b := &bound{codecs: c.codecs}
		if _, err := f.Bind(b); err != nil {
			t.Fatalf("%s: bind: %v", c.name, err)
		}
		if err := f.WriteRTP(&rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 63, SequenceNumber: 1, Timestamp: 960}, Payload: payload}); err != nil {
			t.Fatal(err)
		}
		if len(b.written) != 1 || !bytes.Equal(b.written[0], c.want) || b.pts[0] != c.pt {
			t.Errorf("%s: wrote %v with PT %v, want %v with %d", c.name, b.written, b.pts, c.want, c.pt)
		}
		if err := f.Unbind(b); err != nil {
			t.Errorf("%s: unbind: %v", c.name, err)
		}
	}
	// Without the fallback, a plain RED track cannot bind to such a receiver.
	plain, _ := webrtc.NewTrackLocalStaticRTP(rtc.RED, "audio", "s")
	if _, err := plain.Bind(&bound{codecs: []webrtc.RTPCodecParameters{opus}}); err == nil {
		t.Error("a RED track bound to a receiver that took Opus alone")
	}
}
