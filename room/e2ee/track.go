package e2ee

import (
	"errors"
	"fmt"
	"kaigi/media/assemble"
	"strings"
	"sync"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtp"
	"github.com/pion/rtp/codecs"
	"github.com/pion/webrtc/v4"

	"kaigi/rtc"
)

// payloadMTU is what pion's sample tracks put in one packet (1200 bytes
// with the 12-byte RTP header).
const payloadMTU = 1200 - 12

// CodecOf says which codec a MIME type is, for the codecs Kaigi sends.
func CodecOf(mime string) (Codec, bool) {
	switch strings.ToLower(mime) {
	case strings.ToLower(webrtc.MimeTypeVP8):
		return VP8, true
	case strings.ToLower(webrtc.MimeTypeOpus):
		return Opus, true
	}
	return 0, false
}

// codecTrack is a TrackLocal that tells its codec (pion's static tracks
// do; LiveKit's SDK puts it first in the offer).
type codecTrack interface {
	Codec() webrtc.RTPCodecCapability
}

// LocalTrack encrypts a local track that writes whole frames as RTP (a
// pion sample track: one Opus packet per frame, or a VP8 picture split
// into packets, the last one marked): every frame is put together,
// encrypted, and sent again as RTP with sequence numbers of its own.
type LocalTrack struct {
	webrtc.TrackLocal
	c     *Cryptor
	codec Codec
}

// EncryptTrack wraps a VP8 or Opus track that tells its codec (pion's
// static tracks).
func EncryptTrack(t webrtc.TrackLocal, c *Cryptor) (*LocalTrack, error) {
	ct, ok := t.(codecTrack)
	if !ok {
		return nil, fmt.Errorf("e2ee: track %s does not tell its codec", t.ID())
	}
	codec, ok := CodecOf(ct.Codec().MimeType)
	if !ok {
		return nil, fmt.Errorf("e2ee: cannot encrypt %s", ct.Codec().MimeType)
	}
	return &LocalTrack{TrackLocal: t, c: c, codec: codec}, nil
}

// Codec is the wrapped track's.
func (t *LocalTrack) Codec() webrtc.RTPCodecCapability { return t.TrackLocal.(codecTrack).Codec() }

// Bind binds the wrapped track to a context whose writer encrypts.
func (t *LocalTrack) Bind(ctx webrtc.TrackLocalContext) (webrtc.RTPCodecParameters, error) {
	w := &frameWriter{out: ctx.WriteStream(), s: t.c.Sender(t.codec), codec: t.codec,
		payloader: codecs.VP8Payloader{EnablePictureID: true}}
	return t.TrackLocal.Bind(rtc.WritingTo(ctx, w))
}

// frameWriter encrypts what one binding of the track writes.
type frameWriter struct {
	out       webrtc.TrackLocalWriter
	s         *Sender
	codec     Codec
	payloader codecs.VP8Payloader

	mu      sync.Mutex
	frame   []byte     // the VP8 picture being put together
	first   rtp.Header // its first packet's header
	started bool
	broken  bool // a packet of this picture was not VP8: skip it
	seq     uint16
	haveSeq bool
	buf     []byte
}

func (w *frameWriter) Write(b []byte) (int, error) {
	var p rtp.Packet
	if err := p.Unmarshal(b); err != nil {
		return 0, err
	}
	return w.WriteRTP(&p.Header, p.Payload)
}

func (w *frameWriter) WriteRTP(h *rtp.Header, payload []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.codec == Opus {
		w.buf = w.s.Encrypt(w.buf[:0], payload, h.SSRC, h.Timestamp)
		return w.out.WriteRTP(h, w.buf)
	}
	var vp8 codecs.VP8Packet
	body, err := vp8.Unmarshal(payload)
	if !w.started || (vp8.S == 1 && vp8.PID == 0) {
		w.frame, w.first, w.started, w.broken = w.frame[:0], *h, true, false
		w.first.Extensions = append([]rtp.Extension(nil), h.Extensions...)
	}
	if err != nil || h.Timestamp != w.first.Timestamp {
		w.broken = true
	} else {
		w.frame = append(w.frame, body...)
	}
	if !h.Marker {
		return len(payload), nil
	}
	w.started = false
	if w.broken || len(w.frame) == 0 {
		return len(payload), nil
	}
	if !w.haveSeq {
		w.seq, w.haveSeq = w.first.SequenceNumber, true
	}
	w.buf = w.s.Encrypt(w.buf[:0], w.frame, w.first.SSRC, w.first.Timestamp)
	parts := w.payloader.Payload(payloadMTU, w.buf)
	for i, part := range parts {
		hdr := w.first
		hdr.SequenceNumber = w.seq
		hdr.Marker = i == len(parts)-1
		w.seq++
		if _, err := w.out.WriteRTP(&hdr, part); err != nil {
			return 0, err
		}
	}
	return len(payload), nil
}

// RemoteTrack is what a TrackReceiver reads: *webrtc.TrackRemote, or a
// DecryptTrack around one.
type RemoteTrack interface {
	Codec() webrtc.RTPCodecParameters
	ReadRTP() (*rtp.Packet, interceptor.Attributes, error)
	SetReadDeadline(time.Time) error
}

// FailureTolerance is how many frames in a row may fail to decrypt before
// a track is reported as undecryptable (DECRYPTION_FAILURE_TOLERANCE in
// livekit-client's constants.ts).
const FailureTolerance = 10

// DecryptTrack decrypts a remote track: Opus packet by packet, VP8 picture
// by picture (put together in order, decrypted, and handed on as one
// packet each). A frame that does not decrypt is dropped, never passed on:
// the reader sees a gap in sequence numbers, as for a lost packet.
type DecryptTrack struct {
	src     RemoteTrack
	c       *Cryptor
	codec   Codec
	onState func(err error) // nil error: decrypts (again)

	sb      *assemble.Assembler
	queue   []*rtp.Packet
	seq     uint16
	haveSeq bool
	failing bool
	fails   int
	pid     uint16
	last    *rtp.Packet // the last packet read (its SSRC and payload type)
	err     error       // the source's, once it ended
}

// NewDecryptTrack wraps src. onState, if not nil, is called on the
// reading goroutine with an error (wrapping ErrDecrypt, ErrMissingKey or
// ErrMalformed) once FailureTolerance frames in a row failed, and with nil
// when frames decrypt again after that.
func NewDecryptTrack(src RemoteTrack, c *Cryptor, onState func(err error)) (*DecryptTrack, error) {
	codec, ok := CodecOf(src.Codec().MimeType)
	if !ok {
		return nil, fmt.Errorf("e2ee: cannot decrypt %s", src.Codec().MimeType)
	}
	d := &DecryptTrack{src: src, c: c, codec: codec, onState: onState}
	if codec == VP8 {
		d.sb = assemble.New(128, &codecs.VP8Packet{}, 90000, 200*time.Millisecond)
	}
	return d, nil
}

func (d *DecryptTrack) Codec() webrtc.RTPCodecParameters  { return d.src.Codec() }
func (d *DecryptTrack) SetReadDeadline(t time.Time) error { return d.src.SetReadDeadline(t) }

// ReadRTP returns the next decrypted packet.
func (d *DecryptTrack) ReadRTP() (*rtp.Packet, interceptor.Attributes, error) {
	for {
		if len(d.queue) > 0 {
			p := d.queue[0]
			d.queue = d.queue[1:]
			return p, nil, nil
		}
		if d.err != nil {
			return nil, nil, d.err
		}
		p, attr, err := d.src.ReadRTP()
		if err != nil {
			// The track ended: hand on the pictures still held.
			d.err = err
			if d.sb != nil {
				d.sb.Flush()
				for s := d.sb.Pop(); s != nil; s = d.sb.Pop() {
					d.frame(s.Data, s.PacketTimestamp, s.PrevDroppedPackets > 0, d.last)
				}
			}
			continue
		}
		if d.codec == Opus {
			clear, err := d.c.Decrypt(nil, Opus, p.Payload)
			if len(clear) == 0 && err == nil {
				continue // nothing to play (an empty or server-injected frame)
			}
			if d.note(err) {
				p.Payload = clear
				return p, attr, nil
			}
			continue
		}
		d.sb.Push(p)
		d.last = p
		for s := d.sb.Pop(); s != nil; s = d.sb.Pop() {
			d.frame(s.Data, s.PacketTimestamp, s.PrevDroppedPackets > 0, p)
		}
	}
}

// frame decrypts one VP8 picture and queues it as one packet.
func (d *DecryptTrack) frame(data []byte, ts uint32, lost bool, like *rtp.Packet) {
	if !d.haveSeq {
		d.seq, d.haveSeq = like.SequenceNumber, true
	}
	if lost {
		d.seq++ // a gap where pictures were lost
	}
	clear, err := d.c.Decrypt(nil, VP8, data)
	if len(clear) == 0 && err == nil {
		d.seq++ // nothing to show (an empty or server-injected frame)
		return
	}
	if !d.note(err) {
		d.seq++
		return
	}
	// One packet with a VP8 descriptor (start of partition 0, a picture
	// ID), the whole picture, marked as the last.
	d.pid = (d.pid + 1) & 0x7fff
	payload := make([]byte, 0, 4+len(clear))
	payload = append(payload, 0x90, 0x80, 0x80|byte(d.pid>>8), byte(d.pid))
	payload = append(payload, clear...)
	d.queue = append(d.queue, &rtp.Packet{Header: rtp.Header{Version: 2, Marker: true, PayloadType: like.PayloadType,
		SequenceNumber: d.seq, Timestamp: ts, SSRC: like.SSRC}, Payload: payload})
	d.seq++
}

// note counts a frame's outcome and reports changes; it says whether the
// frame decrypted.
func (d *DecryptTrack) note(err error) bool {
	if err == nil {
		d.fails = 0
		if d.failing {
			d.failing = false
			if d.onState != nil {
				d.onState(nil)
			}
		}
		return true
	}
	d.fails++
	if !d.failing && d.fails >= FailureTolerance {
		d.failing = true
		if d.onState != nil {
			d.onState(err)
		}
	}
	return false
}

// ErrNoKey is reported for a track that is encrypted when we have no key.
var ErrNoKey = errors.New("e2ee: the track is end-to-end encrypted and we have no key")
