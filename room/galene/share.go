package galene

import (
	"fmt"

	"github.com/pion/webrtc/v4"

	"kaigi/room"
	"kaigi/room/wire"
	"kaigi/rtc"
)

// The protocol's label for a screen share's stream.
const shareLabel = "screenshare"

// shareUp is our screen share: an up stream of its own labelled
// "screenshare", on a PeerConnection whose congestion control sets the
// share's bitrate (the camera's stream keeps its own).
type shareUp struct {
	st    *stream
	media room.ShareMedia
}

func (st *stream) isShare() bool { return st.label == shareLabel }

// StartShare implements room.Sharer: a new up stream labelled
// "screenshare" (replacing a share that runs).
func (s *session) StartShare(share room.ShareMedia) error {
	if err := s.StopShare(); err != nil && err != room.ErrNoShare {
		return err
	}
	st, err := s.publishShare(share)
	if err != nil {
		return err
	}
	s.events.Emit(room.ShareStarted{ParticipantID: s.id, TrackID: st.id, Local: true})
	return nil
}

// publishShare offers share as a new "screenshare" up stream.
func (s *session) publishShare(share room.ShareMedia) (*stream, error) {
	setting := s.o.Setting
	if setting == nil && loopbackHost(s.opts.Link.GroupURL) {
		setting = rtc.Loopback()
	}
	api, err := rtc.NewAPI(rtc.Config{Setting: setting, OnBitrate: share.SetVideoBitrate})
	if err != nil {
		return nil, fmt.Errorf("share: %w", err)
	}
	pc, err := api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return nil, fmt.Errorf("share: %w", err)
	}
	t, err := s.encrypted(share.VideoTrack())
	if err != nil {
		pc.Close()
		return nil, fmt.Errorf("share: %w", err)
	}
	tr, err := pc.AddTransceiverFromTrack(t, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly})
	if err != nil {
		pc.Close()
		return nil, fmt.Errorf("share: %w", err)
	}
	sender := tr.Sender()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		rtc.ReadKeyframeRequests(sender, share.RequestKeyframe)
	}()
	st := &stream{id: randomID(), pc: pc, label: shareLabel}
	s.watch(st)
	s.mu.Lock()
	if s.left {
		s.mu.Unlock()
		pc.Close()
		return nil, room.Fail(room.ErrDisconnected, nil, "left")
	}
	s.share = &shareUp{st: st, media: share}
	s.mu.Unlock()
	if err := s.offer(st, false); err != nil {
		s.mu.Lock()
		if s.share != nil && s.share.st == st {
			s.share = nil
		}
		s.mu.Unlock()
		pc.Close()
		return nil, fmt.Errorf("share: %w", err)
	}
	share.RequestKeyframe()
	return st, nil
}

// republishShare offers our share again after a rejoin: the server has
// forgotten the stream it had.
func (s *session) republishShare() {
	s.mu.Lock()
	sh := s.share
	s.share = nil
	s.mu.Unlock()
	if sh == nil {
		return
	}
	_ = sh.st.pc.Close()
	if _, err := s.publishShare(sh.media); err != nil {
		s.events.Emit(room.ShareEnded{ParticipantID: s.id, TrackID: sh.st.id, Local: true, Err: err})
	}
}

// StopShare implements room.Sharer: the stream is closed.
func (s *session) StopShare() error {
	s.mu.Lock()
	sh := s.share
	s.share = nil
	s.mu.Unlock()
	if sh == nil {
		return room.ErrNoShare
	}
	_ = s.write(wire.Message{Type: "close", ID: sh.st.id})
	err := sh.st.pc.Close()
	s.events.Emit(room.ShareEnded{ParticipantID: s.id, TrackID: sh.st.id, Local: true})
	return err
}

// abortShare ends our share when the server asks to (abort); it says
// whether id was the share's.
func (s *session) abortShare(id string) bool {
	s.mu.Lock()
	sh := s.share
	if sh == nil || sh.st.id != id {
		s.mu.Unlock()
		return false
	}
	s.share = nil
	s.mu.Unlock()
	_ = s.write(wire.Message{Type: "close", ID: id})
	_ = sh.st.pc.Close()
	s.events.Emit(room.ShareEnded{ParticipantID: s.id, TrackID: id, Local: true, Err: room.Fail(room.ErrProtocol, nil, "the server stopped the share")})
	return true
}

// onShareTrack receives someone's screen share under room.ShareID.
func (s *session) onShareTrack(st *stream, track *webrtc.TrackRemote) {
	if track.Kind() != webrtc.RTPCodecTypeVideo {
		return
	}
	s.events.Emit(room.ShareStarted{ParticipantID: st.source, TrackID: st.id})
	if s.opts.Remote == nil {
		return
	}
	rt := s.decrypted(track, st.source, room.Video)
	pc := st.pc
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		room.Receive(s.ctx, s.opts.Remote, room.ShareID(st.source), track, rt, keyframeRequest(pc, track))
		// Its stream closed, or all media went with a lost connection
		// (a rejoin offers it again if it still runs).
		s.shareEnded(st)
	}()
}

// shareEnded tells, once, that a received share ended.
func (s *session) shareEnded(st *stream) {
	st.ended.Do(func() { s.events.Emit(room.ShareEnded{ParticipantID: st.source, TrackID: st.id}) })
}
