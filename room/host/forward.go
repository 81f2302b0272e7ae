package host

import (
	"encoding/json"
	"slices"
	"strings"
	"sync"

	"github.com/pion/rtp"
	"github.com/pion/rtp/codecs"
	"github.com/pion/webrtc/v4"

	"kaigi/room/wire"
	"kaigi/rtc"
)

// downTrack is one up track as one receiver gets it. The receiver can stop
// and restart it (requestStream): stopped, its packets are dropped and the
// sequence numbers after it close the gap, so the receiver sees no loss and
// asks for no retransmissions; a video restarts on a keyframe.
type downTrack struct {
	local localTrack
	video bool

	mu      sync.Mutex
	on      bool
	waitKey bool   // restarted video: drop until a keyframe begins
	dropped uint16 // packets left out so far (sequence numbers shift by this)
}

func newDownTrack(remote *webrtc.TrackRemote, streamID string) (*downTrack, error) {
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
	return &downTrack{local: local, video: remote.Kind() == webrtc.RTPCodecTypeVideo, on: true}, nil
}

// setOn starts or stops the track; it says whether a stopped video just
// restarted (and so needs a keyframe from the sender).
func (d *downTrack) setOn(on bool) (restarted bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if on == d.on {
		return false
	}
	d.on = on
	d.waitKey = on && d.video
	return d.waitKey
}

// write sends one packet of the up track, or drops it.
func (d *downTrack) write(p *rtp.Packet) {
	d.mu.Lock()
	if d.waitKey && isKeyframeStart(p.Payload) {
		d.waitKey = false
	}
	if !d.on || d.waitKey {
		d.dropped++
		d.mu.Unlock()
		return
	}
	shift := d.dropped
	d.mu.Unlock()
	if shift == 0 {
		_ = d.local.WriteRTP(p)
		return
	}
	out := *p
	out.Header.SequenceNumber -= shift
	_ = d.local.WriteRTP(&out)
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
	for _, d := range downs {
		d.write(p)
	}
}

// handleRequestStream changes which media of one of c's down streams are
// sent: a list of "audio", "video" and "video-low" (the host has no
// simulcast layers, so "video-low" is the video).
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
	audio, video := slices.Contains(wanted, "audio"), slices.Contains(wanted, "video") || slices.Contains(wanted, "video-low")
	keyframe := false
	for _, t := range d.tracks {
		on := audio
		if t.video {
			on = video
		}
		if t.setOn(on) {
			keyframe = true
		}
	}
	if keyframe {
		d.up.askKeyframe(true)
	}
}
