// Package room is the seam between the user interface and the network: one
// meeting-session model that every kind of meeting room (a "dialect": LiveKit,
// the Galène protocol, ...) implements. It knows nothing of Fyne.
//
// The UI joins through a Dialer chosen by the link's kind, then reads Events
// until the session ends, and acts through the Session methods.
package room

import (
	"context"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"

	"kaigi/room/link"
)

// State is the connection state of a session.
type State int

const (
	Connecting State = iota
	Connected
	Reconnecting
	Failed
	Left
)

func (s State) String() string {
	switch s {
	case Connecting:
		return "connecting"
	case Connected:
		return "connected"
	case Reconnecting:
		return "reconnecting"
	case Failed:
		return "failed"
	case Left:
		return "left"
	}
	return "unknown"
}

// Kind is the kind of a media track.
type Kind string

const (
	Audio Kind = "audio"
	Video Kind = "video"
)

// Participant is one person in the meeting, as the session knows them.
type Participant struct {
	ID    string // stable for the session
	Name  string // display name
	Local bool   // this is us
}

// Event is one of the *Event types below, delivered in order on Session.Events.
type Event interface{ isEvent() }

// StateEvent reports a change of connection state. Err is set (a *Error) when
// State is Failed, and may be set while Reconnecting.
type StateEvent struct {
	State State
	Err   error
	// Unsent is the chat typed while the connection was in trouble that
	// a Failed session could not send, in the order typed: the user is
	// shown it, and it goes out if they rejoin.
	Unsent []string
}

// ParticipantJoined reports someone arriving (also sent for those already
// present when we join).
type ParticipantJoined struct{ Participant Participant }

// ParticipantLeft reports someone leaving.
type ParticipantLeft struct{ ID string }

// ParticipantRenamed reports a new display name.
type ParticipantRenamed struct {
	ID   string
	Name string
}

// TrackAdded reports a remote track; its media goes to the session's
// TrackReceiver.
type TrackAdded struct {
	ParticipantID string
	TrackID       string
	Kind          Kind
	Muted         bool
}

// TrackRemoved reports a remote track ending.
type TrackRemoved struct {
	ParticipantID string
	TrackID       string
	Kind          Kind
}

// TrackMuted reports a remote participant muting or unmuting a track.
type TrackMuted struct {
	ParticipantID string
	Kind          Kind
	Muted         bool
}

// ActiveSpeakers lists who is speaking now, loudest first (empty: silence).
type ActiveSpeakers struct{ IDs []string }

// ChatMessage is one chat line, ours included (echoed by the session).
type ChatMessage struct {
	ID       string // "" when the protocol carries none
	FromID   string
	FromName string
	Text     string
	Time     time.Time
	History  bool // sent before we joined
	// Sending is our own line, held while the link is in trouble: a
	// ChatSent with its ID follows once it has gone out, or could not.
	Sending bool
	// NotSent is a held line of ours that could not be sent when its turn
	// came (set by the call model from ChatSent; sessions never set it).
	NotSent bool
}

// ChatSent says our held chat line ID has gone out, or, with Err, that it
// could not be sent; the session has then forgotten it (the line's text
// is in the chat as ChatMessage.Text, for the user to send again).
type ChatSent struct {
	ID  string
	Err error
}

// Notice is a message from the server meant for the user (a warning or an
// error that does not end the session). Text is the server's own words.
type Notice struct {
	Level string // "error", "warning" or "info"
	Text  string
}

// Encryption says whether the session's media is end-to-end encrypted: the
// server forwards what it cannot read. Sessions that encrypt send it once,
// before the Connected state event; a session that sends none is not
// end-to-end encrypted. Chat says whether chat is too (it may go through
// the server in clear while media does not).
type Encryption struct {
	Media bool
	Chat  bool
}

// Undecryptable reports that a participant's media of Kind cannot be
// decrypted (Err is an *Error with ErrUndecryptable: a wrong or missing
// passphrase), or, with a nil Err, that it decrypts again. Media that
// does not decrypt is dropped, never shown.
type Undecryptable struct {
	ParticipantID string
	Kind          Kind
	Err           error
}

func (StateEvent) isEvent()         {}
func (ParticipantJoined) isEvent()  {}
func (ParticipantLeft) isEvent()    {}
func (ParticipantRenamed) isEvent() {}
func (TrackAdded) isEvent()         {}
func (TrackRemoved) isEvent()       {}
func (TrackMuted) isEvent()         {}
func (ActiveSpeakers) isEvent()     {}
func (ChatMessage) isEvent()        {}
func (ChatSent) isEvent()           {}
func (Notice) isEvent()             {}
func (Encryption) isEvent()         {}
func (Undecryptable) isEvent()      {}

// Session is a meeting we are in. All methods are safe from any goroutine.
type Session interface {
	// Events delivers what happens, in order. It is closed after Leave
	// returns or after a Failed state event.
	Events() <-chan Event
	// Self is the local participant.
	Self() Participant
	// SetMuted mutes or unmutes our microphone (Audio) or camera (Video).
	SetMuted(kind Kind, muted bool) error
	// SendChat sends a chat line to everyone.
	SendChat(text string) error
	// Leave ends the session; every goroutine the session started has
	// stopped when it returns.
	Leave() error
}

// Quality is how much of a participant's video is on screen.
type Quality int

const (
	QualityOff  Quality = iota // not shown: receive no video
	QualityLow                 // a small tile
	QualityHigh                // a large tile
)

func (q Quality) String() string {
	switch q {
	case QualityLow:
		return "low"
	case QualityHigh:
		return "high"
	}
	return "off"
}

// VideoSelector is a Session whose room can send each participant's video
// only as it is shown: nothing for people off screen, a low layer for small
// tiles (LiveKit's track settings, the Galène protocol's requestStream).
// The UI calls SelectVideo whenever what is on screen changes; remote
// participants missing from shown get QualityOff. Until the first call,
// every video is received in full. It does not block on the network.
type VideoSelector interface {
	SelectVideo(shown map[string]Quality)
}

// LocalMedia is what we publish. media/ implements it (without importing
// room: the method set is the contract). Either track may be nil (no
// camera, no microphone).
type LocalMedia interface {
	AudioTrack() webrtc.TrackLocal
	VideoTrack() webrtc.TrackLocal
	// RequestKeyframe asks the video encoder for a keyframe (on PLI/FIR).
	RequestKeyframe()
	// SetVideoBitrate sets the video encoder's target in bits per second
	// (driven by congestion control); 0 says the link has stalled (no
	// feedback: an outage), so send the least until the next estimate.
	SetVideoBitrate(bps int)
	// SetAudioMuted and SetVideoMuted stop sending real media (silence,
	// or no frames) without removing the track.
	SetAudioMuted(muted bool)
	SetVideoMuted(muted bool)
}

// RemoteTrack is a remote track's RTP: a *webrtc.TrackRemote, or a track
// that transforms one (end-to-end decryption, room/e2ee). It is an alias
// of an interface literal so that media/ can declare the same type without
// importing room.
type RemoteTrack = interface {
	Codec() webrtc.RTPCodecParameters
	ReadRTP() (*rtp.Packet, interceptor.Attributes, error)
	SetReadDeadline(time.Time) error
}

// TrackReceiver takes every remote track. media/ implements it: it decodes
// and plays the track until it ends or ctx is cancelled. requestKeyframe
// sends a PLI to the track's sender.
type TrackReceiver interface {
	ReceiveTrack(ctx context.Context, participantID string, track RemoteTrack, requestKeyframe func())
}

// JoinOptions is everything a dialect needs to join.
type JoinOptions struct {
	Link     link.Link
	Name     string // display name
	Password string // for rooms that ask for one (may be empty)
	// Passphrase encrypts media end to end (LiveKit rooms); empty: the
	// link's, if it has one.
	Passphrase string
	Local      LocalMedia
	Remote     TrackReceiver
	// StartMuted says which of our tracks start muted.
	StartAudioMuted bool
	StartVideoMuted bool
}

// Dialer joins one kind of room. It returns once the session is connected,
// or with an *Error.
type Dialer func(ctx context.Context, opts JoinOptions) (Session, error)
