package livekit

import (
	lksdk "github.com/livekit/server-sdk-go/v2"
	"github.com/pion/webrtc/v4"

	"kaigi/room"
)

func participant(rp *lksdk.RemoteParticipant) room.Participant {
	name := rp.Name()
	if name == "" {
		name = rp.Identity()
	}
	return room.Participant{ID: rp.Identity(), Name: name}
}

func kindOf(k lksdk.TrackKind) room.Kind {
	if k == lksdk.TrackKindVideo {
		return room.Video
	}
	return room.Audio
}

func (s *session) onTrack(track *webrtc.TrackRemote, pub *lksdk.RemoteTrackPublication, rp *lksdk.RemoteParticipant) {
	if isShare(pub) {
		s.onShareTrack(track, pub, rp)
		return
	}
	id := rp.Identity()
	s.events.Emit(room.TrackAdded{ParticipantID: id, TrackID: pub.SID(), Kind: kindOf(pub.Kind()), Muted: pub.IsMuted()})
	if pub.Kind() == lksdk.TrackKindVideo {
		s.selection.Wake() // apply the selection to the new track
	}
	s.receive(track, pub, rp, id)
}

// receive hands a remote track (decrypted when it is encrypted) to what
// receives media, as the id as, until the track ends.
func (s *session) receive(track *webrtc.TrackRemote, pub *lksdk.RemoteTrackPublication, rp *lksdk.RemoteParticipant, as string) {
	if s.opts.Remote == nil {
		return
	}
	rt := s.decrypted(track, pub, rp.Identity())
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		room.Receive(s.ctx, s.opts.Remote, as, track, rt, func() { rp.WritePLI(track.SSRC()) })
	}()
}

func (s *session) onMuted(pub lksdk.TrackPublication, p lksdk.Participant, muted bool) {
	if _, local := p.(*lksdk.LocalParticipant); local || isShare(pub) {
		return
	}
	s.events.Emit(room.TrackMuted{ParticipantID: p.Identity(), Kind: kindOf(pub.Kind()), Muted: muted})
}
