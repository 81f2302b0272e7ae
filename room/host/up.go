package host

import (
	"sync"
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
	tracks   []*upTrack
	ready    bool
	closed   bool
	lastKey  time.Time
	ice      rtc.Candidates
	wg       sync.WaitGroup
}

// upTrack is one track a client sends; its packets go to every down track
// made from it.
type upTrack struct {
	remote *webrtc.TrackRemote

	mu    sync.Mutex
	downs []*downTrack
}

// mediaSections counts the audio and video sections an offer carries.
func mediaSections(offer string) (int, error) {
	var d sdp.SessionDescription
	if err := d.UnmarshalString(offer); err != nil {
		return 0, err
	}
	n := 0
	for _, md := range d.MediaDescriptions {
		if md.MediaName.Media == "audio" || md.MediaName.Media == "video" {
			if md.MediaName.Port.Value != 0 {
				n++
			}
		}
	}
	return n, nil
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
	count, err := mediaSections(m.SDP)
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
		up, err = c.newUp(m.ID, m.Label, count)
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

func (c *client) newUp(id, label string, expected int) (*upStream, error) {
	pc, err := c.host.api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return nil, err
	}
	up := &upStream{owner: c, id: id, label: label, pc: pc, expected: expected}
	pc.OnICECandidate(func(cand *webrtc.ICECandidate) {
		if cand != nil {
			c.sendICE(id, cand)
		}
	})
	pc.OnTrack(func(remote *webrtc.TrackRemote, _ *webrtc.RTPReceiver) { up.addTrack(remote) })
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

func (up *upStream) addTrack(remote *webrtc.TrackRemote) {
	up.mu.Lock()
	if up.closed {
		up.mu.Unlock()
		return
	}
	t := &upTrack{remote: remote}
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

// requestKeyframe passes a receiver's PLI or FIR to the sender, at most
// once per keyframeGap.
func (up *upStream) requestKeyframe() { up.askKeyframe(false) }

// askKeyframe sends a PLI for the stream's video; now skips the rate limit
// (a receiver restarting a video waits for nothing else).
func (up *upStream) askKeyframe(now bool) {
	up.mu.Lock()
	if !now && time.Since(up.lastKey) < keyframeGap {
		up.mu.Unlock()
		return
	}
	up.lastKey = time.Now()
	var pkts []rtcp.Packet
	for _, t := range up.tracks {
		if t.remote.Kind() == webrtc.RTPCodecTypeVideo {
			pkts = append(pkts, &rtcp.PictureLossIndication{MediaSSRC: uint32(t.remote.SSRC())})
		}
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
