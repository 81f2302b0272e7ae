package host

import (
	"sync"
	"time"

	"github.com/pion/webrtc/v4"

	"kaigi/room/wire"
	"kaigi/rtc"
)

// answerTimeout is how long a client has to answer the host's offer.
const answerTimeout = 20 * time.Second

// downStream is one up stream as one receiver gets it: the host offers.
type downStream struct {
	owner    *client // the receiver
	up       *upStream
	pc       *webrtc.PeerConnection
	tracks   []*downTrack
	mu       sync.Mutex
	answered bool
	ice      rtc.Candidates
	timer    *time.Timer
	wg       sync.WaitGroup
}

// offerDown sends up to c: a new PeerConnection, the host offering.
func (c *client) offerDown(up *upStream) {
	tracks := up.readyTracks()
	if len(tracks) == 0 {
		return
	}
	c.mu.Lock()
	if _, exists := c.down[up.id]; exists {
		c.mu.Unlock()
		return
	}
	c.mu.Unlock()
	pc, err := c.host.apiOut.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return
	}
	d := &downStream{owner: c, up: up, pc: pc}
	made := map[*webrtc.RTPReceiver]*downTrack{} // a simulcast video's layers share one down track
	for _, t := range tracks {
		if dt := made[t.receiver]; dt != nil {
			t.attach(dt)
			continue
		}
		first := t
		if t.remote.Kind() == webrtc.RTPCodecTypeVideo {
			first = up.layer(false)
		}
		dt, err := newDownTrack(t.remote, up.owner.id+"-"+up.id, first)
		if err != nil {
			d.close()
			return
		}
		sender, err := pc.AddTrack(dt.local)
		if err != nil {
			d.close()
			return
		}
		made[t.receiver] = dt
		d.tracks = append(d.tracks, dt)
		t.attach(dt)
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			rtc.ReadKeyframeRequests(sender, func() { up.requestKeyframe(dt.layer()) })
		}()
	}
	id := up.id
	pc.OnICECandidate(func(cand *webrtc.ICECandidate) {
		if cand != nil {
			c.sendICE(id, cand)
		}
	})
	pc.OnConnectionStateChange(func(s webrtc.PeerConnectionState) {
		switch s {
		case webrtc.PeerConnectionStateConnected:
			for _, dt := range d.tracks {
				if k := dt.connected(); k != nil {
					up.askKeyframe(true, k)
				}
			}
		case webrtc.PeerConnectionStateFailed:
			c.closeDown(id, true)
		}
	})
	offer, err := pc.CreateOffer(nil)
	if err == nil {
		err = pc.SetLocalDescription(offer)
	}
	if err != nil {
		d.close()
		return
	}
	c.mu.Lock()
	if _, exists := c.down[id]; exists {
		c.mu.Unlock()
		d.close()
		return
	}
	// The timer is set before the stream is published: whoever takes it
	// from c.down (and so may close it) sees the timer.
	d.timer = time.AfterFunc(answerTimeout, func() {
		d.mu.Lock()
		answered := d.answered
		d.mu.Unlock()
		if !answered {
			c.closeDown(id, true)
		}
	})
	c.down[id] = d
	c.mu.Unlock()
	username := up.owner.username
	label := up.label
	if label == "" {
		label = "camera"
	}
	c.send(wire.Message{Type: "offer", ID: id, Label: label, Source: up.owner.id, Username: &username, SDP: pc.LocalDescription().SDP})
}

func (c *client) handleAnswer(m wire.Message) {
	c.mu.Lock()
	d := c.down[m.ID]
	c.mu.Unlock()
	if d == nil {
		c.fail("error", "answer for an unknown stream")
		return
	}
	if err := d.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: m.SDP}); err != nil {
		c.fail("error", "the answer was refused: "+truncate(err.Error(), 200))
		c.closeDown(m.ID, true)
		return
	}
	d.mu.Lock()
	d.answered = true
	d.mu.Unlock()
	d.ice.Flush(d.pc) // its video starts on a keyframe once connected
}

// closeDown ends one down stream of c, telling c when told is set.
func (c *client) closeDown(id string, tell bool) {
	c.mu.Lock()
	d := c.down[id]
	delete(c.down, id)
	c.mu.Unlock()
	if d == nil {
		return
	}
	if tell {
		c.send(wire.Message{Type: "close", ID: id})
	}
	d.close()
}

func (c *client) closeDownOf(up *upStream) {
	c.mu.Lock()
	d := c.down[up.id]
	c.mu.Unlock()
	if d != nil && d.up == up {
		c.closeDown(up.id, true)
	}
}

// dropStreamsFrom closes the down streams carrying a departed member's
// media.
func (c *client) dropStreamsFrom(ownerID string) {
	c.mu.Lock()
	var ids []string
	for id, d := range c.down {
		if d.up.owner.id == ownerID {
			ids = append(ids, id)
		}
	}
	c.mu.Unlock()
	for _, id := range ids {
		c.closeDown(id, true)
	}
}

func (d *downStream) close() {
	if d.timer != nil {
		d.timer.Stop()
	}
	for _, t := range d.up.readyTracks() {
		t.detach(d.tracks)
	}
	_ = d.pc.Close()
	d.wg.Wait()
}
