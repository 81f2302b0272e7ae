package galene

import (
	"encoding/json"

	"github.com/pion/webrtc/v4"

	"kaigi/room/wire"
	"kaigi/rtc"
)

// publish offers our camera and microphone as one up stream.
func (s *session) publish() error {
	l := s.opts.Local
	if l == nil || (l.AudioTrack() == nil && l.VideoTrack() == nil) {
		return nil
	}
	pc, err := s.api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return err
	}
	st := &stream{id: randomID(), pc: pc, label: "camera"}
	for _, t := range []webrtc.TrackLocal{l.AudioTrack(), l.VideoTrack()} {
		if t == nil {
			continue
		}
		t, err := s.encrypted(t)
		if err != nil {
			pc.Close()
			return err
		}
		tr, err := pc.AddTransceiverFromTrack(t, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly})
		if err != nil {
			pc.Close()
			return err
		}
		sender := tr.Sender()
		if t.Kind() == webrtc.RTPCodecTypeAudio {
			st.audio = sender
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			rtc.ReadKeyframeRequests(sender, l.RequestKeyframe)
		}()
	}
	s.watch(st)
	s.watchUp(st)
	s.mu.Lock()
	s.up = st
	s.mu.Unlock()
	return s.offer(st, false)
}

func (s *session) offer(st *stream, restart bool) error {
	offer, err := st.pc.CreateOffer(&webrtc.OfferOptions{ICERestart: restart})
	if err != nil {
		return err
	}
	if err := st.pc.SetLocalDescription(offer); err != nil {
		return err
	}
	name := s.self.Name
	return s.write(wire.Message{Type: "offer", ID: st.id, Label: st.label, Source: s.id, Username: &name, SDP: st.pc.LocalDescription().SDP})
}

// watch trickles a stream's candidates to the server.
func (s *session) watch(st *stream) {
	st.pc.OnICECandidate(func(c *webrtc.ICECandidate) {
		if c == nil {
			return
		}
		data, err := json.Marshal(c.ToJSON())
		if err == nil {
			_ = s.write(wire.Message{Type: "ice", ID: st.id, Candidate: data})
		}
	})
}
