package room

// What people do in a meeting besides talking: raising a hand, reacting,
// and — for whoever runs the meeting — muting, removing and locking.
// Dialects that carry them implement Gestures and Moderation; the UI
// offers what the session implements.

// HandRaised reports someone raising or lowering their hand (ours
// included, as the room confirms it).
type HandRaised struct {
	ParticipantID string
	Raised        bool
}

// Reaction is a short-lived reaction (one of Reactions) someone sent,
// ours included.
type Reaction struct {
	ParticipantID string
	Emoji         string
}

// Moderator reports whether a participant (ourselves included) may run
// the meeting: the host, or someone the host made a co-host.
type Moderator struct {
	ParticipantID string
	On            bool
}

// MutedByHost reports that whoever runs the meeting muted our
// microphone; the session has muted it. By is their name ("" unknown).
type MutedByHost struct{ By string }

// Locked reports that the meeting was locked (nobody new may join) or
// unlocked.
type Locked struct{ Locked bool }

func (HandRaised) isEvent()  {}
func (Reaction) isEvent()    {}
func (Moderator) isEvent()   {}
func (MutedByHost) isEvent() {}
func (Locked) isEvent()      {}

// Reactions are the reactions Kaigi sends and shows; others are ignored
// when they arrive.
var Reactions = []string{"👍", "❤️", "😂", "👏", "🎉", "😮"}

// IsReaction says whether e is one of Reactions.
func IsReaction(e string) bool {
	for _, r := range Reactions {
		if r == e {
			return true
		}
	}
	return false
}

// Gestures is a Session whose room carries raised hands and reactions.
type Gestures interface {
	RaiseHand(raised bool) error
	React(emoji string) error
}

// Moderation is a Session whose room lets a moderator (see the Moderator
// event) run the meeting. The room refuses these from anyone else.
type Moderation interface {
	// MuteParticipant asks someone's client to mute its microphone.
	MuteParticipant(id string) error
	// MuteAll mutes everyone but ourselves.
	MuteAll() error
	// RemoveParticipant removes someone from the meeting.
	RemoveParticipant(id string) error
	// Lock stops (or again allows) new people joining.
	Lock(locked bool) error
	// SetCoHost makes someone a moderator, or no longer one.
	SetCoHost(id string, on bool) error
}
