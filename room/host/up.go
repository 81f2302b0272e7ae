package host

import (
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v4"

	"kaigi/room/wire"
	"kaigi/rtc"
)

// keyframeGap limits how often a receiver's keyframe requests reach the
// sender.
const keyframeGap = 300 * time.Millisecond

// upStream is media a client sends us: one PeerConnection, the client
// offering. Each of its tracks is copied into a local track that every
// receiver's down stream carries.
type upStream struct {
	owner *client
	id    string
	label string
	pc    *webrtc.PeerConnection

	mu       sync.Mutex
	expected int
	rids     []string // the video's simulcast layers, top first (none: one layer)
	tracks   []*upTrack
	ready    bool
	closed   bool
	lastKey  map[*upTrack]time.Time
	ice      rtc.Candidates
	wg       sync.WaitGroup
}

// upTrack is one track a client sends (one simulcast layer of a video);
// its packets go to every down track that forwards it.
type upTrack struct {
	remote   *webrtc.TrackRemote
	receiver *webrtc.RTPReceiver // a video's layers share it
	up       *upStream
	last     atomic.Int64  // when its last packet came, Unix nanoseconds
	received atomic.Uint64 // packets that came (stats.go)

	mu    sync.Mutex
	downs []*downTrack
}

// mediaSections counts the tracks an offer's audio and video sections
// will bring (a simulcast video one per layer) and lists the layers' rids
// in the offer's order (Galène's: decreasing bitrate).
func mediaSections(offer string) (tracks int, rids []string, err error) {
	var d sdp.SessionDescription
	if err := d.UnmarshalString(offer); err != nil {
		return 0, nil, err
	}
	for _, md := range d.MediaDescriptions {
		if (md.MediaName.Media != "audio" && md.MediaName.Media != "video") || md.MediaName.Port.Value == 0 {
			continue
		}
		var layers []string
		for _, a := range md.Attributes {
			if f := strings.Fields(a.Value); a.Key == "rid" && len(f) >= 2 && f[1] == "send" {
				layers = append(layers, f[0])
			}
		}
		if md.MediaName.Media == "video" && len(layers) > 1 && rids == nil {
			rids = layers
			tracks += len(layers)
			continue
		}
		tracks++
	}
	return tracks, rids, nil
}

func (c *client) handleOffer(m wire.Message) {
	if m.ID == "" || len(m.ID) > 128 || (m.Source != "" && m.Source != c.id) {
		c.fail("error", "an offer needs a stream id and must come from its sender")
		return
	}
	c.mu.Lock()
	if _, isDown := c.down[m.ID]; isDown {
		c.mu.Unlock()
		c.fail("error", "that stream id is taken")
		return
	}
	up := c.up[m.ID]
	n := len(c.up)
	c.mu.Unlock()
	for _, o := range c.group.others(c) {
		if o.hasUp(m.ID) {
			c.fail("error", "that stream id belongs to someone else")
			return
		}
	}
	count, rids, err := mediaSections(m.SDP)
	if err != nil || count == 0 {
		c.fail("error", "the offer's SDP cannot be read")
		c.send(wire.Message{Type: "abort", ID: m.ID})
		return
	}
	if up == nil {
		if n >= maxStreams {
			c.fail("error", "too many streams")
			c.send(wire.Message{Type: "abort", ID: m.ID})
			return
		}
		up, err = c.newUp(m.ID, m.Label, count, rids)
		if err != nil {
			c.fail("error", "the stream cannot be set up")
			c.send(wire.Message{Type: "abort", ID: m.ID})
			return
		}
	}
	if err := up.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: m.SDP}); err != nil {
		c.fail("error", "the offer was refused: "+truncate(err.Error(), 200))
		c.closeUp(m.ID)
		c.send(wire.Message{Type: "abort", ID: m.ID})
		return
	}
	answer, err := up.pc.CreateAnswer(nil)
	if err == nil {
		err = up.pc.SetLocalDescription(answer)
	}
	if err != nil {
		c.fail("error", "no answer to the offer: "+truncate(err.Error(), 200))
		c.closeUp(m.ID)
		c.send(wire.Message{Type: "abort", ID: m.ID})
		return
	}
	up.flushCandidates()
	c.send(wire.Message{Type: "answer", ID: m.ID, SDP: up.pc.LocalDescription().SDP})
}

func (c *client) hasUp(id string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.up[id]
	return ok
}

func (c *client) newUp(id, label string, expected int, rids []string) (*upStream, error) {
	pc, err := c.host.apiIn.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return nil, err
	}
	up := &upStream{owner: c, id: id, label: label, pc: pc, expected: expected, rids: rids, lastKey: map[*upTrack]time.Time{}}
	pc.OnICECandidate(func(cand *webrtc.ICECandidate) {
		if cand != nil {
			c.sendICE(id, cand)
		}
	})
	pc.OnTrack(func(remote *webrtc.TrackRemote, r *webrtc.RTPReceiver) { up.addTrack(remote, r) })
	pc.OnConnectionStateChange(func(s webrtc.PeerConnectionState) {
		if s == webrtc.PeerConnectionStateFailed {
			c.closeUp(id)
		}
	})
	c.mu.Lock()
	c.up[id] = up
	c.mu.Unlock()
	return up, nil
}

func (up *upStream) addTrack(remote *webrtc.TrackRemote, r *webrtc.RTPReceiver) {
	up.mu.Lock()
	if up.closed {
		up.mu.Unlock()
		return
	}
	t := &upTrack{remote: remote, receiver: r, up: up}
	up.tracks = append(up.tracks, t)
	becameReady := !up.ready && len(up.tracks) >= up.expected
	if becameReady {
		up.ready = true
	}
	up.wg.Add(1)
	up.mu.Unlock()
	go func() {
		defer up.wg.Done()
		for {
			pkt, _, err := remote.ReadRTP()
			if err != nil {
				return
			}
			t.forward(pkt)
		}
	}()
	if becameReady {
		up.publish()
	}
}

// publish offers the stream to every member that asked for media.
func (up *upStream) publish() {
	for _, o := range up.owner.group.others(up.owner) {
		o.mu.Lock()
		wants := o.requested
		o.mu.Unlock()
		if wants {
			o.offerDown(up)
		}
	}
}

func (up *upStream) readyTracks() []*upTrack {
	up.mu.Lock()
	defer up.mu.Unlock()
	if !up.ready || up.closed {
		return nil
	}
	return append([]*upTrack(nil), up.tracks...)
}

func (c *client) readyStreams() []*upStream {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []*upStream
	for _, u := range c.up {
		u.mu.Lock()
		if u.ready && !u.closed {
			out = append(out, u)
		}
		u.mu.Unlock()
	}
	return out
}

// layer is the video layer a receiver gets: the top one, or with low the
// last (lowest) one. Without simulcast, the video.
func (up *upStream) layer(low bool) *upTrack {
	up.mu.Lock()
	defer up.mu.Unlock()
	rid := ""
	if len(up.rids) > 0 {
		rid = up.rids[0]
		if low {
			rid = up.rids[len(up.rids)-1]
		}
	}
	for _, t := range up.tracks {
		if t.remote.Kind() == webrtc.RTPCodecTypeVideo && t.remote.RID() == rid {
			return t
		}
	}
	return nil
}

// requestKeyframe passes a receiver's PLI or FIR to the sender of the
// layer it gets (nil: every video), at most once per keyframeGap.
func (up *upStream) requestKeyframe(layer *upTrack) { up.askKeyframe(false, layer) }

// askKeyframe sends a PLI for a layer of the stream's video (nil: all of
// it); now skips the rate limit (a receiver restarting a video, or moving
// to another layer, waits for nothing else).
func (up *upStream) askKeyframe(now bool, layer *upTrack) {
	up.mu.Lock()
	var pkts []rtcp.Packet
	for _, t := range up.tracks {
		if t.remote.Kind() != webrtc.RTPCodecTypeVideo || (layer != nil && t != layer) {
			continue
		}
		if !now && time.Since(up.lastKey[t]) < keyframeGap {
			continue
		}
		up.lastKey[t] = time.Now()
		pkts = append(pkts, &rtcp.PictureLossIndication{MediaSSRC: uint32(t.remote.SSRC())})
	}
	up.mu.Unlock()
	if len(pkts) > 0 {
		_ = up.pc.WriteRTCP(pkts)
	}
}

func (up *upStream) addCandidate(c webrtc.ICECandidateInit) { up.ice.Add(up.pc, c) }

func (up *upStream) flushCandidates() { up.ice.Flush(up.pc) }

func (up *upStream) close() {
	up.mu.Lock()
	if up.closed {
		up.mu.Unlock()
		return
	}
	up.closed = true
	up.mu.Unlock()
	_ = up.pc.Close()
	up.wg.Wait()
}

// closeUp ends one of c's up streams and every down stream carrying it.
func (c *client) closeUp(id string) {
	c.mu.Lock()
	up := c.up[id]
	delete(c.up, id)
	c.mu.Unlock()
	if up == nil {
		return
	}
	if c.group != nil {
		for _, o := range c.group.others(c) {
			o.closeDownOf(up)
		}
	}
	up.close()
}
