package galene

import (
	"encoding/json"
	"time"

	"github.com/pion/webrtc/v4"
	pionmedia "github.com/pion/webrtc/v4/pkg/media"

	"kaigi/media"
	"kaigi/room/wire"
	"kaigi/rtc"
)

// Galène's simulcast: the video's layers are rids on one transceiver, in
// decreasing bitrate, the last ("l", about 100 kb/s at half the size) the
// one "video-low" selects.
var galeneRIDs = []string{"h", "l"}

// galeneLayers are the camera's layers as Galène's own client sends them,
// top first: the camera itself, and half its size at 100 kb/s.
func galeneLayers(top media.Layer) []media.Layer {
	return []media.Layer{top, {Width: top.Width / 2 &^ 1, Height: top.Height / 2 &^ 1, MaxBitrate: 100_000}}
}

// addLayers adds the camera to pc as Galène's two simulcast layers, each
// with its own encoder (and encryption, in an encrypted meeting), and
// starts sending them (replacing the layers of an earlier connection).
func (s *session) addLayers(pc *webrtc.PeerConnection, lm media.Layered, streamID string) error {
	all := lm.SimulcastLayers()
	layers := galeneLayers(all[len(all)-1])
	var sender *webrtc.RTPSender
	var tr *webrtc.RTPTransceiver
	mid := func() string { return tr.Mid() }
	outs := make([]media.LayerOutput, len(layers))
	for i, rid := range galeneRIDs {
		track, err := webrtc.NewTrackLocalStaticSample(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000},
			"video", streamID, webrtc.WithRTPStreamID(rid))
		if err != nil {
			return err
		}
		t, err := s.encrypted(track)
		if err != nil {
			return err
		}
		t = rtc.SimulcastLayer(t, mid)
		if i == 0 {
			tr, err = pc.AddTransceiverFromTrack(t, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly})
			if err != nil {
				return err
			}
			sender = tr.Sender()
		} else if err := sender.AddEncoding(t); err != nil {
			return err
		}
		outs[len(layers)-1-i] = media.LayerOutput{Layer: layers[i], Write: func(frame []byte, d time.Duration) error {
			return track.WriteSample(pionmedia.Sample{Data: frame, Duration: d})
		}}
	}
	ls := lm.SendLayers(outs)
	if old := s.layers.Swap(ls); old != nil {
		old.Stop()
	}
	for i, rid := range galeneRIDs {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			rtc.ReadLayerKeyframeRequests(sender, rid, func() { ls.RequestKeyframe(len(galeneRIDs) - 1 - i) })
		}()
	}
	return nil
}

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
	video := l.VideoTrack()
	if lm, ok := l.(media.Layered); ok && video != nil && len(lm.SimulcastLayers()) > 1 {
		if err := s.addLayers(pc, lm, video.StreamID()); err != nil {
			pc.Close()
			return err
		}
		video = nil
	}
	for _, t := range []webrtc.TrackLocal{l.AudioTrack(), video} {
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
