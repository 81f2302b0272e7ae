package livekit

import (
	"github.com/livekit/protocol/livekit"
	lksdk "github.com/livekit/server-sdk-go/v2"

	"kaigi/room"
)

// SelectVideo implements room.VideoSelector with LiveKit's track settings:
// the server stops forwarding a video that is off screen, and sends the
// low simulcast layer (where the publisher sends layers) to a small tile.
func (s *session) SelectVideo(shown map[string]room.Quality) { s.selection.Set(shown) }

// applyVideo sends the settings of every remote video whose wanted quality
// changed. It runs on the selection's goroutine only.
func (s *session) applyVideo(quality func(string) room.Quality) {
	seen := map[string]bool{}
	defer func() {
		for sid := range s.applied {
			if !seen[sid] {
				delete(s.applied, sid) // a track that ended
			}
		}
	}()
	for _, rp := range s.lk.GetRemoteParticipants() {
		q := quality(rp.Identity())
		for _, tp := range rp.TrackPublications() {
			pub, ok := tp.(*lksdk.RemoteTrackPublication)
			if !ok || pub.Kind() != lksdk.TrackKindVideo {
				continue
			}
			seen[pub.SID()] = true
			q := q
			if isShare(pub) {
				q = quality(room.ShareID(rp.Identity()))
			}
			if was, ok := s.applied[pub.SID()]; ok && was == q {
				continue
			}
			s.applied[pub.SID()] = q
			switch q {
			case room.QualityOff:
				pub.SetEnabled(false)
			case room.QualityLow:
				_ = pub.SetVideoQuality(livekit.VideoQuality_LOW)
				pub.SetEnabled(true)
			default:
				_ = pub.SetVideoQuality(livekit.VideoQuality_HIGH)
				pub.SetEnabled(true)
			}
		}
	}
}
