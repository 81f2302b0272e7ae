package media

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"

	"kaigi/media/tone"
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
