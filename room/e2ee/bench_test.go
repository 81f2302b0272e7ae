package e2ee

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/pion/rtp"
	"github.com/pion/rtp/codecs"
	"github.com/pion/webrtc/v4"
)

// BenchmarkFrame: one frame encrypted, or decrypted, by size.
func BenchmarkFrame(b *testing.B) {
	c := cryptor(b, "correct horse")
	for _, size := range []int{80, 3300, 25000} {
		codec, frame := VP8, vp8Frames(2, size)[1]
		if size == 80 {
			codec, frame = Opus, append([]byte{0x78}, make([]byte, size-1)...)
		}
		s := c.Sender(codec)
		enc := s.Encrypt(nil, frame, 1, 1)
		b.Run(fmt.Sprintf("encrypt-%s-%dB", codec, size), func(b *testing.B) {
			b.SetBytes(int64(len(frame)))
			buf := make([]byte, 0, len(frame)+Overhead)
			for b.Loop() {
				buf = s.Encrypt(buf[:0], frame, 1, 1)
			}
		})
		b.Run(fmt.Sprintf("decrypt-%s-%dB", codec, size), func(b *testing.B) {
			b.SetBytes(int64(len(frame)))
			buf := make([]byte, 0, len(frame))
			for b.Loop() {
				var err error
				if buf, err = c.Decrypt(buf[:0], codec, enc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCallSecond is one second of a 640x480@30 call at 800 kbit/s
// (a 25 kB keyframe and 29 pictures of about 3.3 kB) and 50 Opus packets,
// sent and received through the RTP wrappers: packetized as pion's sample
// track does, put together and encrypted, then put together again and
// decrypted. "core-%" is the share of one core this costs.
func BenchmarkCallSecond(b *testing.B) {
	c := cryptor(b, "correct horse")
	frames := append(vp8Frames(1, 25000), vp8Frames(30, 3300)[1:]...)
	opus := bytes.Repeat([]byte{0x78}, 80)
	pz := rtp.NewPacketizer(1200, 96, 0x1234, &codecs.VP8Payloader{EnablePictureID: true}, rtp.NewRandomSequencer(), 90000)
	var in []*rtp.Packet
	for _, f := range frames {
		in = append(in, pz.Packetize(f, 3000)...)
	}
	out := &capture{}
	video := &frameWriter{out: out, s: c.Sender(VP8), codec: VP8, payloader: codecs.VP8Payloader{EnablePictureID: true}}
	audioOut := &capture{}
	audio := &frameWriter{out: audioOut, s: c.Sender(Opus), codec: Opus}
	var bytesPerSecond int64
	for _, f := range frames {
		bytesPerSecond += int64(len(f))
	}
	b.SetBytes(bytesPerSecond + 50*int64(len(opus)))
	for b.Loop() {
		out.pkts, audioOut.pkts = out.pkts[:0], audioOut.pkts[:0]
		for _, p := range in {
			if _, err := video.WriteRTP(&p.Header, p.Payload); err != nil {
				b.Fatal(err)
			}
		}
		for i := range 50 {
			h := rtp.Header{Version: 2, PayloadType: 111, SequenceNumber: uint16(i), Timestamp: uint32(960 * i), SSRC: 9}
			if _, err := audio.WriteRTP(&h, opus); err != nil {
				b.Fatal(err)
			}
		}
		for _, src := range []*packets{{mime: webrtc.MimeTypeVP8, pkts: out.pkts}, {mime: webrtc.MimeTypeOpus, pkts: audioOut.pkts}} {
			d, err := NewDecryptTrack(src, c, func(err error) { b.Fatal(err) })
			if err != nil {
				b.Fatal(err)
			}
			for {
				if _, _, err := d.ReadRTP(); err != nil {
					break
				}
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e7, "core-%")
}
