package host

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v4"

	"kaigi/media"
	"kaigi/room/galene"
)

// answerTimeout is how long a client has to answer the host's offer.
const answerTimeout = 20 * time.Second

// keyframeGap limits how often a receiver's keyframe requests reach the
// sender.
const keyframeGap = 300 * time.Millisecond

func newAPI(setting *webrtc.SettingEngine) (*webrtc.API, error) {
	m := &webrtc.MediaEngine{}
	fb := []webrtc.RTCPFeedback{{Type: "nack"}, {Type: "nack", Parameter: "pli"}, {Type: "ccm", Parameter: "fir"},
		{Type: "goog-remb"}, {Type: "transport-cc"}}
	for _, c := range []struct {
		p webrtc.RTPCodecParameters
		t webrtc.RTPCodecType
	}{
		{webrtc.RTPCodecParameters{RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000, RTCPFeedback: fb}, PayloadType: 96}, webrtc.RTPCodecTypeVideo},
		{webrtc.RTPCodecParameters{RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2,
			SDPFmtpLine: "minptime=10;useinbandfec=1", RTCPFeedback: []webrtc.RTCPFeedback{{Type: "transport-cc"}}}, PayloadType: 111}, webrtc.RTPCodecTypeAudio},
	} {
		if err := m.RegisterCodec(c.p, c.t); err != nil {
			return nil, err
		}
	}
	ir := &interceptor.Registry{}
	// NACK generator on what we receive, NACK responder (a packet cache)
	// on what we forward, RTCP reports, and transport-wide feedback so
	// senders' congestion control works.
	if err := webrtc.RegisterDefaultInterceptors(m, ir); err != nil {
		return nil, err
	}
	opts := []func(*webrtc.API){webrtc.WithMediaEngine(m), webrtc.WithInterceptorRegistry(ir)}
	if setting != nil {
		opts = append(opts, webrtc.WithSettingEngine(*setting))
	}
	return webrtc.NewAPI(opts...), nil
}

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
	ice      galene.Candidates
	wg       sync.WaitGroup
}

// upTrack is one track a client sends; its packets go to every down track
// made from it.
type upTrack struct {
	remote *webrtc.TrackRemote

	mu    sync.Mutex
	downs []*downTrack
}

// downStream is one up stream as one receiver gets it: the host offers.
type downStream struct {
	owner    *client // the receiver
	up       *upStream
	pc       *webrtc.PeerConnection
	tracks   []*downTrack
	mu       sync.Mutex
	answered bool
	ice      galene.Candidates
	timer    *time.Timer
	wg       sync.WaitGroup
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

func (c *client) handleOffer(m galene.Message) {
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
		c.send(galene.Message{Type: "abort", ID: m.ID})
		return
	}
	if up == nil {
		if n >= maxStreams {
			c.fail("error", "too many streams")
			c.send(galene.Message{Type: "abort", ID: m.ID})
			return
		}
		up, err = c.newUp(m.ID, m.Label, count)
		if err != nil {
			c.fail("error", "the stream cannot be set up")
			c.send(galene.Message{Type: "abort", ID: m.ID})
			return
		}
	}
	if err := up.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: m.SDP}); err != nil {
		c.fail("error", "the offer was refused: "+truncate(err.Error(), 200))
		c.closeUp(m.ID)
		c.send(galene.Message{Type: "abort", ID: m.ID})
		return
	}
	answer, err := up.pc.CreateAnswer(nil)
	if err == nil {
		err = up.pc.SetLocalDescription(answer)
	}
	if err != nil {
		c.fail("error", "no answer to the offer: "+truncate(err.Error(), 200))
		c.closeUp(m.ID)
		c.send(galene.Message{Type: "abort", ID: m.ID})
		return
	}
	up.flushCandidates()
	c.send(galene.Message{Type: "answer", ID: m.ID, SDP: up.pc.LocalDescription().SDP})
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

func (c *client) sendICE(id string, cand *webrtc.ICECandidate) {
	init := cand.ToJSON()
	data, err := json.Marshal(init)
	if err != nil {
		return
	}
	c.send(galene.Message{Type: "ice", ID: id, Candidate: data})
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
	pc, err := c.host.api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return
	}
	d := &downStream{owner: c, up: up, pc: pc}
	for _, t := range tracks {
		dt, err := newDownTrack(t.remote, up.owner.id+"-"+up.id)
		if err != nil {
			d.close()
			return
		}
		sender, err := pc.AddTrack(dt.local)
		if err != nil {
			d.close()
			return
		}
		d.tracks = append(d.tracks, dt)
		t.attach(dt)
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			media.ReadKeyframeRequests(sender, up.requestKeyframe)
		}()
	}
	id := up.id
	pc.OnICECandidate(func(cand *webrtc.ICECandidate) {
		if cand != nil {
			c.sendICE(id, cand)
		}
	})
	pc.OnConnectionStateChange(func(s webrtc.PeerConnectionState) {
		if s == webrtc.PeerConnectionStateFailed {
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
	c.down[id] = d
	c.mu.Unlock()
	d.timer = time.AfterFunc(answerTimeout, func() {
		d.mu.Lock()
		answered := d.answered
		d.mu.Unlock()
		if !answered {
			c.closeDown(id, true)
		}
	})
	username := up.owner.username
	label := up.label
	if label == "" {
		label = "camera"
	}
	c.send(galene.Message{Type: "offer", ID: id, Label: label, Source: up.owner.id, Username: &username, SDP: pc.LocalDescription().SDP})
}

func (c *client) handleAnswer(m galene.Message) {
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
	d.ice.Flush(d.pc)
	// A new receiver needs a keyframe to start.
	d.up.requestKeyframe()
}

func (c *client) handleICE(m galene.Message) {
	var cand webrtc.ICECandidateInit
	if json.Unmarshal(m.Candidate, &cand) != nil || strings.TrimSpace(cand.Candidate) == "" {
		return // end of candidates, or nothing usable
	}
	c.mu.Lock()
	up, d := c.up[m.ID], c.down[m.ID]
	c.mu.Unlock()
	switch {
	case up != nil:
		up.addCandidate(cand)
	case d != nil:
		d.ice.Add(d.pc, cand)
	default:
		c.fail("error", fmt.Sprintf("ICE candidate for an unknown stream %q", truncate(m.ID, 40)))
	}
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
		c.send(galene.Message{Type: "close", ID: id})
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
