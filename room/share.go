package room

import (
	"errors"
	"strings"

	"github.com/pion/webrtc/v4"
)

// ShareMedia is a screen share we publish: one video track beside the
// camera. media.Share implements it.
type ShareMedia interface {
	VideoTrack() webrtc.TrackLocal
	// RequestKeyframe asks the share's encoder for a keyframe.
	RequestKeyframe()
	// SetVideoBitrate sets the share's encoder target in bits per second.
	SetVideoBitrate(bps int)
}

// Sharer is a Session that can publish a screen share the way its room
// expects (LiveKit's screen-share source, the Galène protocol's
// "screenshare" label). One share at a time: StartShare replaces one
// that runs.
type Sharer interface {
	StartShare(share ShareMedia) error
	StopShare() error
}

// ErrNoShare: StopShare with nothing shared.
var ErrNoShare = errors.New("room: no screen share")

// ShareStarted reports that a participant shares their screen. Its
// pictures reach the TrackReceiver under ShareID(ParticipantID), apart
// from the camera's; ours (Local) is reported too.
type ShareStarted struct {
	ParticipantID string
	TrackID       string
	Local         bool
}

// ShareEnded reports that a participant's share stopped.
type ShareEnded struct {
	ParticipantID string
	TrackID       string
	Local         bool
	// Err says why our own share ended when it did not end by StopShare
	// (the shared window closed, capture failed).
	Err error
}

func (ShareStarted) isEvent() {}
func (ShareEnded) isEvent()   {}

// shareSuffix marks the pseudo-participant a share's pictures go to.
const shareSuffix = "\x00screen"

// ShareID is the ID under which a participant's screen share is received
// (TrackReceiver, video sinks, statistics, video selection), apart from
// their camera.
func ShareID(participantID string) string { return participantID + shareSuffix }

// SharerOf says whose share id is, if it is a share's ID.
func SharerOf(id string) (participantID string, ok bool) {
	return strings.CutSuffix(id, shareSuffix)
}
