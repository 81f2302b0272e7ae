package galene

import (
	"strings"

	"github.com/pion/webrtc/v4"

	"kaigi/rtc"
)

// redAudio media can send their sound as RED (media.Local can).
type redAudio interface {
	AudioTrackRED() webrtc.TrackLocal
}

// useRED sends an up stream's sound as RED (each packet carrying the
// previous one's frame again) once the server's answer has taken RED
// beside Opus, as our host does. The stream is offered with plain Opus,
// so that a server that does not know RED (Galène itself) gets Opus and
// nothing changes; RED cannot be offered alone, since a track whose
// codec the answer refused would stop the connection. Not with
// end-to-end encryption, which works on whole Opus frames.
func (s *session) useRED(st *stream) {
	if st.audio == nil || st.red || s.crypt != nil {
		return
	}
	r, ok := s.opts.Local.(redAudio)
	if !ok || r.AudioTrackRED() == nil {
		return
	}
	taken := false
	for _, c := range st.audio.GetParameters().Codecs {
		if strings.EqualFold(c.MimeType, rtc.RED.MimeType) {
			taken = true
		}
	}
	if !taken {
		return
	}
	if err := st.audio.ReplaceTrack(r.AudioTrackRED()); err == nil {
		st.red = true
	}
}
