package livekit

import (
	"fmt"

	"github.com/livekit/protocol/livekit"
	lksdk "github.com/livekit/server-sdk-go/v2"
	"github.com/pion/webrtc/v4"

	"kaigi/room"
)

func (s *session) publish() error {
	l := s.opts.Local
	if l == nil {
		return nil
	}
	if t := l.VideoTrack(); t != nil {
		t, enc, err := s.encrypted(t)
		if err != nil {
			return fmt.Errorf("publish video: %w", err)
		}
		pub, err := s.lk.LocalParticipant.PublishTrack(t, &lksdk.TrackPublicationOptions{Name: "camera", Source: livekit.TrackSource_CAMERA, Encryption: enc})
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

// redAudio media can send their sound as RED (media.Local can).
type redAudio interface {
	AudioTrackRED() webrtc.TrackLocal
}

func canRED(l room.LocalMedia) bool {
	r, ok := l.(redAudio)
	return ok && r.AudioTrackRED() != nil
}
