package call

import (
	"slices"

	"kaigi/room"
)

// applyShare takes in a screen share starting or ending.
func (m *Model) applyShare(ev room.Event) Change {
	switch e := ev.(type) {
	case room.ShareStarted:
		if m.people[e.ParticipantID] == nil || slices.Contains(m.shares, e.ParticipantID) {
			return 0
		}
		m.shares = append(m.shares, e.ParticipantID)
		return Tracks
	case room.ShareEnded:
		if m.unshare(e.ParticipantID) {
			return Tracks
		}
	}
	return 0
}

func (m *Model) unshare(id string) bool {
	i := slices.Index(m.shares, id)
	if i < 0 {
		return false
	}
	m.shares = slices.Delete(m.shares, i, i+1)
	return true
}

// Sharing says whether id shares their screen.
func (m *Model) Sharing(id string) bool { return slices.Contains(m.shares, id) }

// Presenter is the other participant whose screen share takes the stage:
// of those sharing, the last to start ("" when no one else shares).
func (m *Model) Presenter() string {
	for i := len(m.shares) - 1; i >= 0; i-- {
		if m.shares[i] != m.self {
			return m.shares[i]
		}
	}
	return ""
}

// Sharers are the people sharing their screens, ourselves included, in
// the order they started.
func (m *Model) Sharers() []string { return slices.Clone(m.shares) }
