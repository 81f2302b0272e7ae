package e2ee

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtp"
	"github.com/pion/rtp/codecs"
	"github.com/pion/webrtc/v4"
	"github.com/pion/webrtc/v4/pkg/media/samplebuilder"
)

// capture is a TrackLocalWriter that keeps copies of what is written.
type capture struct{ pkts []*rtp.Packet }

func (c *capture) WriteRTP(h *rtp.Header, payload []byte) (int, error) {
	p := &rtp.Packet{Header: *h, Payload: bytes.Clone(payload)}
	c.pkts = append(c.pkts, p)
	return len(payload), nil
}

func (c *capture) Write(b []byte) (int, error) { return len(b), nil }

// packets is a RemoteTrack that plays a list of packets.
type packets struct {
	mime string
	pkts []*rtp.Packet
}

func (p *packets) Codec() webrtc.RTPCodecParameters {
	return webrtc.RTPCodecParameters{RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: p.mime}}
}

func (p *packets) ReadRTP() (*rtp.Packet, interceptor.Attributes, error) {
	if len(p.pkts) == 0 {
		return nil, nil, io.EOF
	}
	pkt := p.pkts[0]
	p.pkts = p.pkts[1:]
	return pkt, nil, nil
}

func (p *packets) SetReadDeadline(time.Time) error { return nil }

// vp8Frames makes n pictures (a keyframe, then interframes) of about size
// bytes, with the frame tag's keyframe bit as VP8 has it.
func vp8Frames(n, size int) [][]byte {
	r := rand.New(rand.NewPCG(1, 2))
	frames := make([][]byte, n)
	for i := range frames {
		f := make([]byte, size+r.IntN(size/4+1))
		for j := range f {
			f[j] = byte(r.Uint32())
		}
		f[0] |= 1 // interframe
		if i == 0 {
			f[0] &^= 1
		}
		frames[i] = f
	}
	return frames
}

// sendVP8 packetizes frames as pion's sample track does, through a
// frameWriter, and returns what it sent.
func sendVP8(c *Cryptor, frames [][]byte) []*rtp.Packet {
	out := &capture{}
	w := &frameWriter{out: out, s: c.Sender(VP8), codec: VP8, payloader: codecs.VP8Payloader{EnablePictureID: true}}
	pz := rtp.NewPacketizer(1200, 96, 0x1234, &codecs.VP8Payloader{EnablePictureID: true}, rtp.NewRandomSequencer(), 90000)
	for _, f := range frames {
		for _, p := range pz.Packetize(f, 3000) {
			if _, err := w.WriteRTP(&p.Header, p.Payload); err != nil {
				panic(err)
			}
		}
	}
	return out.pkts
}

// receiveVP8 reads a DecryptTrack to the end as media/remote.go does and
// returns the pictures, and how many sequence numbers were skipped (the
// sign of lost pictures).
func receiveVP8(t *testing.T, d *DecryptTrack) (frames [][]byte, lost int) {
	t.Helper()
	sb := samplebuilder.New(128, &codecs.VP8Packet{}, 90000)
	var next uint16
	for i := 0; ; i++ {
		p, _, err := d.ReadRTP()
		if err != nil {
			break
		}
		if i > 0 && p.SequenceNumber != next {
			lost += int(p.SequenceNumber - next)
		}
		next = p.SequenceNumber + 1
		sb.Push(p)
		for s := sb.Pop(); s != nil; s = sb.Pop() {
			frames = append(frames, s.Data)
		}
	}
	// Flush the last picture (the builder waits for one more packet).
	sb.Flush()
	for s := sb.Pop(); s != nil; s = sb.Pop() {
		frames = append(frames, s.Data)
	}
	return frames, lost
}

func TestTrackVP8(t *testing.T) {
	c := cryptor(t, "correct horse")
	frames := vp8Frames(30, 3000)
	sent := sendVP8(c, frames)
	for _, p := range sent {
		if len(p.Payload) > 1200-12 {
			t.Fatalf("packet of %d bytes", len(p.Payload))
		}
	}
	// The server sees VP8 with each picture's clear header in the first
	// packet's payload, and nothing else readable.
	var vp8 codecs.VP8Packet
	body, err := vp8.Unmarshal(sent[0].Payload)
	if err != nil || !bytes.Equal(body[:10], frames[0][:10]) || bytes.Contains(body, frames[0][10:30]) {
		t.Errorf("first packet: %v, %x", err, body[:40])
	}

	for _, tc := range []struct {
		name   string
		mangle func([]*rtp.Packet) []*rtp.Packet
		want   int // pictures out, at least
	}{
		{"in order", func(p []*rtp.Packet) []*rtp.Packet { return p }, 30},
		{"reordered", func(p []*rtp.Packet) []*rtp.Packet {
			q := append([]*rtp.Packet(nil), p...)
			for i := 1; i+1 < len(q); i += 5 {
				q[i], q[i+1] = q[i+1], q[i]
			}
			return q
		}, 30},
		// pion's sample builder drops the picture after a lost one too.
		{"a packet lost", func(p []*rtp.Packet) []*rtp.Packet {
			return append(append([]*rtp.Packet(nil), p[:40]...), p[41:]...)
		}, 28},
	} {
		d, err := NewDecryptTrack(&packets{mime: webrtc.MimeTypeVP8, pkts: tc.mangle(sent)}, c, func(err error) {
			t.Errorf("%s: reported %v", tc.name, err)
		})
		if err != nil {
			t.Fatal(err)
		}
		got, lost := receiveVP8(t, d)
		if len(got) < tc.want || len(got) > 30 {
			t.Errorf("%s: %d pictures, want %d or more", tc.name, len(got), tc.want)
		}
		if tc.want < 30 && lost == 0 {
			t.Errorf("%s: the loss was not signalled", tc.name)
		}
		for _, g := range got {
			found := false
			for _, f := range frames {
				found = found || bytes.Equal(f, g)
			}
			if !found {
				t.Errorf("%s: a picture came out that was not sent (%d bytes)", tc.name, len(g))
				break
			}
		}
	}
}

func TestTrackWrongKey(t *testing.T) {
	sent := sendVP8(cryptor(t, "correct horse"), vp8Frames(30, 3000))
	var reports []error
	d, err := NewDecryptTrack(&packets{mime: webrtc.MimeTypeVP8, pkts: sent}, cryptor(t, "wrong"), func(err error) {
		reports = append(reports, err)
	})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := receiveVP8(t, d)
	if len(got) != 0 {
		t.Errorf("%d pictures came out with the wrong key", len(got))
	}
	if len(reports) != 1 || !errors.Is(reports[0], ErrDecrypt) {
		t.Errorf("reports %v, want one ErrDecrypt", reports)
	}
}

func TestTrackOpus(t *testing.T) {
	c := cryptor(t, "correct horse")
	out := &capture{}
	w := &frameWriter{out: out, s: c.Sender(Opus), codec: Opus}
	var sent [][]byte
	for i := range 50 {
		p := append([]byte{0x78}, bytes.Repeat([]byte{byte(i)}, 60)...)
		sent = append(sent, p)
		h := rtp.Header{Version: 2, PayloadType: 111, SequenceNumber: uint16(i), Timestamp: uint32(960 * i), SSRC: 9, Marker: i == 0}
		if _, err := w.WriteRTP(&h, p); err != nil {
			t.Fatal(err)
		}
	}
	d, err := NewDecryptTrack(&packets{mime: webrtc.MimeTypeOpus, pkts: out.pkts}, c, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		p, _, err := d.ReadRTP()
		if err != nil {
			if i != 50 {
				t.Errorf("%d packets out, want 50", i)
			}
			break
		}
		if p.SequenceNumber != uint16(i) || !bytes.Equal(p.Payload, sent[i]) {
			t.Errorf("packet %d: seq %d, %x", i, p.SequenceNumber, p.Payload)
		}
	}
}
