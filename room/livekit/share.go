package livekit

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/livekit/protocol/livekit"
	lksdk "github.com/livekit/server-sdk-go/v2"
	"github.com/pion/webrtc/v4"

	"kaigi/media"
	"kaigi/room"
)

// sharing is our screen share in a LiveKit room: a second video track of
// the screen-share source, which livekit-client shows as a share.
type sharing struct {
	mu    sync.Mutex
	media room.ShareMedia
	pub   *lksdk.LocalTrackPublication
}

func (sh *sharing) current() room.ShareMedia {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.media
}

// shareBitrateShare is the part of congestion control's estimate the
// share gets while it runs: text needs it more than a face does.
const shareBitrateShare = 0.7

// sendBitrate splits congestion control's estimate of what the one
// publisher PeerConnection may send between the camera and the share.
func sendBitrate(local room.LocalMedia, sh *sharing) func(int) {
	return func(bps int) {
		share := sh.current()
		if share == nil {
			if local != nil {
				local.SetVideoBitrate(bps)
			}
			return
		}
		forShare := int(float64(bps) * shareBitrateShare)
		share.SetVideoBitrate(forShare)
		if local != nil {
			local.SetVideoBitrate(bps - forShare)
		}
	}
}

// keyframes passes the SFU's keyframe requests (which name no track the
// watcher can tell apart cheaply) to both encoders; a camera sent as
// layers gets them layer by layer instead (layers.go).
func keyframes(local room.LocalMedia, sh *sharing, layers *atomic.Pointer[media.Layers]) func() {
	return func() {
		if local != nil && layers.Load() == nil {
			local.RequestKeyframe()
		}
		if share := sh.current(); share != nil {
			share.RequestKeyframe()
		}
	}
}

// StartShare implements room.Sharer: the share is published with the
// screen-share source (replacing one that runs).
func (s *session) StartShare(share room.ShareMedia) error {
	if err := s.StopShare(); err != nil && err != room.ErrNoShare {
		return err
	}
	t, enc, err := s.encrypted(share.VideoTrack())
	if err != nil {
		return fmt.Errorf("share: %w", err)
	}
	s.share.mu.Lock()
	s.share.media = share // before publishing: the first keyframe request is its
	s.share.mu.Unlock()
	pub, err := s.lk.LocalParticipant.PublishTrack(t, &lksdk.TrackPublicationOptions{Name: "screen", Source: livekit.TrackSource_SCREEN_SHARE, Encryption: enc})
	if err != nil {
		s.share.mu.Lock()
		s.share.media = nil
		s.share.mu.Unlock()
		return fmt.Errorf("share: %w", err)
	}
	s.share.mu.Lock()
	s.share.pub = pub
	s.share.mu.Unlock()
	share.RequestKeyframe()
	s.events.Emit(room.ShareStarted{ParticipantID: s.self.ID, TrackID: pub.SID(), Local: true})
	return nil
}

// StopShare implements room.Sharer.
func (s *session) StopShare() error {
	s.share.mu.Lock()
	pub := s.share.pub
	s.share.media, s.share.pub = nil, nil
	s.share.mu.Unlock()
	if pub == nil {
		return room.ErrNoShare
	}
	// The SDK (v2.13.0) unpublishes and then fails on a sender it
	// already removed ("RtpSender not created by this PeerConnection"):
	// only a track it does not know is a failure.
	err := s.lk.LocalParticipant.UnpublishTrack(pub.SID())
	s.events.Emit(room.ShareEnded{ParticipantID: s.self.ID, TrackID: pub.SID(), Local: true})
	if errors.Is(err, lksdk.ErrCannotFindTrack) {
		return fmt.Errorf("stop sharing: %w", err)
	}
	return nil
}

func isShare(pub lksdk.TrackPublication) bool {
	return pub.Kind() == lksdk.TrackKindVideo && pub.Source() == livekit.TrackSource_SCREEN_SHARE
}

// onShareTrack receives someone's screen share under room.ShareID, apart
// from their camera.
func (s *session) onShareTrack(track *webrtc.TrackRemote, pub *lksdk.RemoteTrackPublication, rp *lksdk.RemoteParticipant) {
	id := rp.Identity()
	s.events.Emit(room.ShareStarted{ParticipantID: id, TrackID: pub.SID()})
	s.selection.Wake()
	s.receive(track, pub, rp, room.ShareID(id))
}
