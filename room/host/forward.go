package host

import (
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/rtp/codecs"
	"github.com/pion/webrtc/v4"

	"kaigi/room/wire"
	"kaigi/rtc"
)

// downTrack is one up track as one receiver gets it, or, for a simulcast
// video, one of its layers at a time. The receiver can stop and restart it
// (requestStream) and choose the layer ("video" the top, "video-low" the
// last): stopped, its packets are dropped; a video starts, restarts, and
// moves to another layer, on a keyframe of the layer it goes to (until
// then the old layer goes on): what comes before a keyframe is of no use
// to a decoder. Sequence numbers and timestamps are rewritten so
// that what the receiver gets is one continuous stream: no gap where it
// was stopped (it would ask for retransmissions), no jump where the layer
// changed.
type downTrack struct {
	local localTrack
	video bool
	clock uint32 // RTP clock rate

	mu      sync.Mutex
	on      bool
	cur     *upTrack // the layer forwarded now (nil: none yet)
	want    *upTrack // the layer asked for
	waitKey bool     // started or restarted video: drop until a keyframe begins
	early   bool     // the receiver's connection is not up yet: send nothing
	resync  bool     // the next packet forwarded sets the offsets
	sent    bool     // a packet went out: last* hold
	lastSeq uint16
	lastTS  uint32
	lastAt  time.Time
	seqOff  uint16
	tsOff   uint32

	// Packets handed to the receiver's connection, and those it refused
	// (stats.go).
	forwarded, failed atomic.Uint64
}

func newDownTrack(remote *webrtc.TrackRemote, streamID string, layer *upTrack) (*downTrack, error) {
	var local localTrack
	var err error
	if strings.EqualFold(remote.Codec().MimeType, rtc.RED.MimeType) {
		local, err = newREDFallback(remote.Kind().String(), streamID)
	} else {
		local, err = webrtc.NewTrackLocalStaticRTP(remote.Codec().RTPCodecCapability, remote.Kind().String(), streamID)
	}
	if err != nil {
		return nil, err
	}
	video := remote.Kind() == webrtc.RTPCodecTypeVideo
	return &downTrack{local: local, video: video, clock: remote.Codec().ClockRate,
		on: true, want: layer, waitKey: video, early: true}, nil
}

// connected says the receiver's connection is up: only now do packets
// reach it, so a video starts over on a keyframe (one that went out before
// was lost, as is one after a network outage). Until the first call
// nothing is sent: pion can send as soon as DTLS is done, before this
// callback runs, and the pictures sent meanwhile were deltas of a keyframe
// that went nowhere (TestEncryptedMeeting's tap, which asks for none, got
// a few it could not decode). It says which layer needs a keyframe from
// the sender (nil: none).
func (d *downTrack) connected() *upTrack {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.early = false
	if !d.video || !d.on {
		return nil
	}
	d.waitKey = true
	return d.want
}

// setOn starts or stops the track and chooses its layer (nil: keep it);
// it says which layer needs a keyframe from the sender now (nil: none).
func (d *downTrack) setOn(on bool, layer *upTrack) (keyframe *upTrack) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if layer != nil && layer != d.want {
		d.want = layer
		if d.on && on && d.cur != layer {
			keyframe = layer
		}
	}
	if on != d.on {
		d.on = on
		d.waitKey = on && d.video
		d.resync = on
		if d.waitKey {
			keyframe = d.want
		}
	}
	return keyframe
}

// layer is the layer whose keyframes the receiver needs: the one it is
// moving to, or the one it gets.
func (d *downTrack) layer() *upTrack {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.want
}

// silentAfter is how long a layer may send nothing before a receiver
// that asked for it gets another one that sends (the sender turned it off
// for want of bandwidth): a video at 15 frames per second sends a packet
// every 67 ms at least.
const silentAfter = 500 * time.Millisecond

// write sends one packet of layer from, which arrived at now, or drops it.
func (d *downTrack) write(p *rtp.Packet, from *upTrack, now time.Time) {
	d.mu.Lock()
	if !d.on || d.early {
		d.mu.Unlock()
		return
	}
	if from != d.cur && from != d.want {
		// Another layer stands in only while the one asked for and the
		// one forwarded are both silent.
		if d.want == nil || !d.want.silent(now) || (d.cur != nil && !d.cur.silent(now)) {
			d.mu.Unlock()
			return
		}
		if !isKeyframeStart(p.Payload) {
			d.mu.Unlock()
			from.needKeyframe()
			return
		}
	}
	key := d.video && (d.waitKey || from != d.cur) && isKeyframeStart(p.Payload)
	switch {
	case from != d.cur && (key || d.cur == nil && from == d.want && !d.waitKey):
		// The layer asked for begins (audio at once, video on a
		// keyframe).
		if d.cur != nil {
			d.resync = true
		}
		d.cur, d.waitKey = from, false
		if d.sent {
			// Its timestamps continue ours by the time that passed.
			elapsed := uint32(now.Sub(d.lastAt).Seconds()*float64(d.clock)) + 1
			d.tsOff = d.lastTS + elapsed - p.Timestamp
		}
	case from != d.cur:
		first := d.cur == nil && from == d.want
		d.mu.Unlock()
		if first {
			from.needKeyframe()
		}
		return
	case d.waitKey && !key:
		// Restarted on the layer it had (the one asked for is silent,
		// or its keyframe is late): this one's keyframe will do.
		d.mu.Unlock()
		from.needKeyframe()
		return
	}
	d.waitKey = false
	if d.resync {
		d.resync = false
		if d.sent {
			d.seqOff = d.lastSeq + 1 - p.SequenceNumber
		}
	}
	seq, ts := p.SequenceNumber+d.seqOff, p.Timestamp+d.tsOff
	if !d.sent || int16(seq-d.lastSeq) > 0 {
		d.lastSeq, d.lastTS, d.lastAt, d.sent = seq, ts, now, true
	}
	d.mu.Unlock()
	var err error
	if seq == p.SequenceNumber && ts == p.Timestamp {
		err = d.local.WriteRTP(p)
	} else {
		out := *p
		out.Header.SequenceNumber, out.Header.Timestamp = seq, ts
		err = d.local.WriteRTP(&out)
	}
	if err != nil {
		d.failed.Add(1)
	} else {
		d.forwarded.Add(1)
	}
}

// isKeyframeStart says whether a VP8 payload is the first packet of a
// keyframe.
func isKeyframeStart(payload []byte) bool {
	var vp8 codecs.VP8Packet
	frame, err := vp8.Unmarshal(payload)
	if err != nil || vp8.S != 1 || vp8.PID != 0 || len(frame) == 0 {
		return false
	}
	return frame[0]&0x01 == 0 // the P bit of the VP8 frame tag: 0 is a keyframe
}

// silent says whether the layer has sent nothing for silentAfter.
func (t *upTrack) silent(now time.Time) bool {
	return now.UnixNano()-t.last.Load() > int64(silentAfter)
}

// needKeyframe asks the sender for a keyframe of this layer (rate
// limited), for a receiver about to take it.
func (t *upTrack) needKeyframe() {
	if t.up != nil {
		t.up.requestKeyframe(t)
	}
}

// attach and detach replace the list of down tracks, never change it in
// place: forward goes through the list it took without holding the lock.
func (t *upTrack) attach(d *downTrack) {
	t.mu.Lock()
	t.downs = append(slices.Clip(t.downs), d)
	t.mu.Unlock()
}

func (t *upTrack) detach(ds []*downTrack) {
	t.mu.Lock()
	t.downs = slices.DeleteFunc(slices.Clone(t.downs), func(d *downTrack) bool { return slices.Contains(ds, d) })
	t.mu.Unlock()
}

// forward copies one packet to every receiver of the track.
func (t *upTrack) forward(p *rtp.Packet) {
	t.mu.Lock()
	downs := t.downs
	t.mu.Unlock()
	now := time.Now()
	t.last.Store(now.UnixNano())
	t.received.Add(1)
	for _, d := range downs {
		d.write(p, t, now)
	}
}

// handleRequestStream changes which media of one of c's down streams are
// sent: a list of "audio", "video" (the top layer of a simulcast video)
// and "video-low" (its last, lowest layer).
func (c *client) handleRequestStream(m wire.Message) {
	c.mu.Lock()
	d := c.down[m.ID]
	c.mu.Unlock()
	if d == nil {
		return // an up stream's, or one that just closed
	}
	var wanted []string
	if err := json.Unmarshal(m.Request, &wanted); err != nil {
		c.fail("warning", "requestStream needs a list of media")
		return
	}
	audio := slices.Contains(wanted, "audio")
	high, low := slices.Contains(wanted, "video"), slices.Contains(wanted, "video-low")
	for _, t := range d.tracks {
		on, layer := audio, (*upTrack)(nil)
		if t.video {
			on = high || low
			layer = d.up.layer(!high)
		}
		if k := t.setOn(on, layer); k != nil {
			d.up.askKeyframe(true, k)
		}
	}
}
