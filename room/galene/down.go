package galene

import (
	"github.com/pion/rtcp"
	"github.com/pion/webrtc/v4"

	"kaigi/room"
	"kaigi/room/wire"
)

// handleOffer answers a down stream the server offers.
func (s *session) handleOffer(m wire.Message) {
	if m.ID == "" {
		return
	}
	s.mu.Lock()
	st := s.down[m.ID]
	isUp := (s.up != nil && s.up.id == m.ID) || (s.share != nil && s.share.st.id == m.ID)
	s.mu.Unlock()
	if isUp {
		return
	}
	if st == nil {
		pc, err := s.recvAPI.NewPeerConnection(webrtc.Configuration{})
		if err != nil {
			_ = s.write(wire.Message{Type: "abort", ID: m.ID})
			return
		}
		st = &stream{id: m.ID, pc: pc, source: m.Source, label: m.Label, requested: room.QualityHigh}
		s.watch(st)
		source := m.Source
		pc.OnTrack(func(track *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
			if st.isShare() {
				s.onShareTrack(st, track)
				return
			}
			kind := room.Audio
			if track.Kind() == webrtc.RTPCodecTypeVideo {
				kind = room.Video
			}
			s.mu.Lock()
			muted := s.othersMuted[source][kind]
			s.mu.Unlock()
			s.events.Emit(room.TrackAdded{ParticipantID: source, TrackID: m.ID + "/" + track.ID(), Kind: kind, Muted: muted})
			if s.opts.Remote == nil {
				return
			}
			rt := s.decrypted(track, source, kind)
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				room.Receive(s.ctx, s.opts.Remote, source, track, rt, keyframeRequest(pc, track))
				s.events.Emit(room.TrackRemoved{ParticipantID: source, TrackID: m.ID + "/" + track.ID(), Kind: kind})
			}()
		})
		s.mu.Lock()
		s.down[m.ID] = st
		s.mu.Unlock()
	}
	if err := st.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: m.SDP}); err != nil {
		s.events.Emit(room.Notice{Level: "warning", Text: err.Error()})
		_ = s.write(wire.Message{Type: "abort", ID: m.ID})
		return
	}
	answer, err := st.pc.CreateAnswer(nil)
	if err == nil {
		err = st.pc.SetLocalDescription(answer)
	}
	if err != nil {
		_ = s.write(wire.Message{Type: "abort", ID: m.ID})
		return
	}
	st.flush()
	_ = s.write(wire.Message{Type: "answer", ID: m.ID, SDP: st.pc.LocalDescription().SDP})
	s.selection.Wake() // ask for the new stream as its sender is shown
}

func (s *session) closeDown(id string) {
	s.mu.Lock()
	st := s.down[id]
	delete(s.down, id)
	s.mu.Unlock()
	if st != nil {
		_ = st.pc.Close()
		if st.isShare() {
			s.shareEnded(st)
		}
	}
}

// keyframeRequest asks the sender of a down stream's track for a keyframe
// (a picture loss indication through the server).
func keyframeRequest(pc *webrtc.PeerConnection, track *webrtc.TrackRemote) func() {
	return func() {
		_ = pc.WriteRTCP([]rtcp.Packet{&rtcp.PictureLossIndication{MediaSSRC: uint32(track.SSRC())}})
	}
}
