package media

import (
	"context"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtp"
	"github.com/pion/rtp/codecs"
	"github.com/pion/webrtc/v4"

	"kaigi/media/pattern"
	"kaigi/media/tone"
	"kaigi/media/vpx"
)

// h264Track is a remote track in a codec Kaigi has no decoder for (a
// browser may send H.264): a few packets, then the end.
type h264Track struct{ left int }

func (t *h264Track) Codec() webrtc.RTPCodecParameters {
	return webrtc.RTPCodecParameters{RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeH264, ClockRate: 90000}}
}
func (t *h264Track) SetReadDeadline(time.Time) error { return nil }
func (t *h264Track) ReadRTP() (*rtp.Packet, interceptor.Attributes, error) {
	if t.left == 0 {
		return nil, nil, io.EOF
	}
	t.left--
	return &rtp.Packet{Header: rtp.Header{PayloadType: 102}, Payload: []byte{1, 2, 3}}, nil, nil
}

// TestUndecodableIsSaid: a track Kaigi cannot decode is drained (the
// sender is not held up) and reported, not shown as nothing.
func TestUndecodableIsSaid(t *testing.T) {
	r, err := NewRemote(RemoteConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if len(r.Undecodable()) != 0 {
		t.Fatal("undecodable before any track")
	}
	track := &h264Track{left: 50}
	r.ReceiveTrack(context.Background(), "ken", track, func() {})
	if track.left != 0 {
		t.Errorf("%d packets left undrained", track.left)
	}
	if got := r.Undecodable()["ken"]; got != webrtc.MimeTypeH264 {
		t.Errorf("ken's track reported as %q", got)
	}
}

// TestOpusHasFEC: the encoder's packets say whether they carry FEC.
func TestOpusHasFEC(t *testing.T) {
	for _, fec := range []bool{false, true} {
		enc, err := newOpusEncoder()
		if err != nil {
			t.Fatal(err)
		}
		if err := enc.SetInBandFEC(fec); err != nil {
			t.Fatal(err)
		}
		pcm := make([]int16, audioFrame)
		var ph float64
		buf := make([]byte, 1500)
		with := 0
		for range 50 {
			tone.Fill(pcm, 440, 0.3*32767, &ph)
			n, err := enc.Encode(pcm, buf)
			if err != nil {
				t.Fatal(err)
			}
			if opusHasFEC(buf[:n]) {
				with++
			}
		}
		if fec && with < 25 || !fec && with > 0 {
			t.Errorf("FEC %v: %d of 50 packets say they carry FEC", fec, with)
		}
	}
}

// vp8Track is a remote VP8 track of pictures given ahead, packetised as
// a sender would, then the end.
type vp8Track struct{ packets []*rtp.Packet }

func (t *vp8Track) Codec() webrtc.RTPCodecParameters {
	return webrtc.RTPCodecParameters{RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000}}
}
func (t *vp8Track) SetReadDeadline(time.Time) error { return nil }
func (t *vp8Track) ReadRTP() (*rtp.Packet, interceptor.Attributes, error) {
	if len(t.packets) == 0 {
		return nil, nil, io.EOF
	}
	p := t.packets[0]
	t.packets = t.packets[1:]
	return p, nil, nil
}

// TestDecodedCounts: what Decoded reports (the measurements' record of
// what each video costs) is what was sent: the pictures, the keyframes
// among them, the chain broken by a lost packet, the keyframes asked for,
// and a change of layer.
func TestDecodedCounts(t *testing.T) {
	p := rtp.NewPacketizer(1200, 96, 1, &codecs.VP8Payloader{}, rtp.NewRandomSequencer(), 90000)
	track := &vp8Track{}
	// Pictures 0-19 at 320x240 with keyframes at 0 and 10, picture 5's
	// packets lost; then a smaller layer, 20-30, from a keyframe.
	send := func(w, h int, from, to int, keys ...int) {
		enc, err := vpx.NewEncoder(vpx.EncoderConfig{Width: w, Height: h, FPS: 30, BitrateKbps: 300})
		if err != nil {
			t.Fatal(err)
		}
		defer enc.Close()
		frame := make([]byte, w*h*3/2)
		for i := from; i <= to; i++ {
			pattern.Draw(frame, w, h, uint32(i), 80, pattern.Stamp{Counter: uint32(i)})
			data, _, err := enc.Encode(frame, slices.Contains(keys, i))
			if err != nil {
				t.Fatal(err)
			}
			packets := p.Packetize(data, 3000)
			if i != 5 {
				track.packets = append(track.packets, packets...)
			}
		}
	}
	send(320, 240, 0, 19, 0, 10)
	send(160, 120, 20, 30, 20)
	r, err := NewRemote(RemoteConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	asked := 0
	r.ReceiveTrack(context.Background(), "ken", track, func() { asked++ })
	d := r.Decoded()["ken"]
	// 5 is lost and 6-9 cannot be decoded without it; the last picture
	// may stay in the jitter buffer, waiting for the next one's packets.
	want := Decoded{Frames: 31 - 5, Keyframes: 3, Breaks: 1, KeyRequests: asked, Resizes: 1, Width: 160, Height: 120}
	got := d
	if got.Frames == want.Frames-1 {
		got.Frames++
	}
	if got != want || asked == 0 {
		t.Errorf("decoded %+v, want %+v (keyframes asked for: %d)", d, want, asked)
	}
	if _, ok := r.Decoded()["ana"]; ok {
		t.Error("someone who sent no video is reported")
	}
}
