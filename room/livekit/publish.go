package livekit

import (
	"fmt"

	"github.com/livekit/protocol/livekit"
	lksdk "github.com/livekit/server-sdk-go/v2"
	"github.com/pion/webrtc/v4"

	"kaigi/media"
	"kaigi/room"
)

func (s *session) publish() error {
	l := s.opts.Local
	if l == nil {
		return nil
	}
	if t := l.VideoTrack(); t != nil {
		pub, err := s.publishCamera(t)
		if err != nil {
			return fmt.Errorf("publish video: %w", err)
		}
		s.pubs[room.Video] = pub
		if s.opts.StartVideoMuted {
			s.setMuted(room.Video, true)
		}
	}
	if t := l.AudioTrack(); t != nil {
		if s.crypt == nil && canRED(l) {
			t = l.(redAudio).AudioTrackRED()
		}
		t, enc, err := s.encrypted(t)
		if err != nil {
			return fmt.Errorf("publish audio: %w", err)
		}
		pub, err := s.lk.LocalParticipant.PublishTrack(t, &lksdk.TrackPublicationOptions{Name: "microphone", Source: livekit.TrackSource_MICROPHONE, Encryption: enc})
		if err != nil {
			return fmt.Errorf("publish audio: %w", err)
		}
		s.pubs[room.Audio] = pub
		if s.opts.StartAudioMuted {
			s.setMuted(room.Audio, true)
		}
	}
	return nil
}

// publishCamera publishes the camera as simulcast layers when the media
// offers them (layers.go), else as the one track t. An encrypted room
// gets one layer: the SDK (v2.13.0) announces a simulcast track without
// its encryption (PublishSimulcastTrack's AddTrackRequest has no
// Encryption field set), so receivers would not decrypt it.
func (s *session) publishCamera(t webrtc.TrackLocal) (*lksdk.LocalTrackPublication, error) {
	if lm, ok := s.opts.Local.(media.Layered); ok && s.crypt == nil {
		if layers := lm.SimulcastLayers(); len(layers) > 1 {
			return s.publishLayers(lm, layers)
		}
	}
	t, enc, err := s.encrypted(t)
	if err != nil {
		return nil, err
	}
	return s.lk.LocalParticipant.PublishTrack(t, &lksdk.TrackPublicationOptions{Name: "camera", Source: livekit.TrackSource_CAMERA, Encryption: enc})
}

// redAudio media can send their sound as RED (media.Local can).
type redAudio interface {
	AudioTrackRED() webrtc.TrackLocal
}

func canRED(l room.LocalMedia) bool {
	r, ok := l.(redAudio)
	return ok && r.AudioTrackRED() != nil
}

// lossRepair media say whether their sound is to be repaired where the
// network loses it (media.Local does: not with NoAdaptation).
type lossRepair interface {
	RepairsLoss() bool
}

func repairsLoss(l room.LocalMedia) bool {
	r, ok := l.(lossRepair)
	return !ok || r.RepairsLoss()
}
