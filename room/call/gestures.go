package call

import (
	"slices"
	"time"

	"kaigi/room"
)

// ReactionShown is how long a reaction stays over its sender's tile.
const ReactionShown = 4 * time.Second

// gesture is what a person does besides talking.
type gesture struct {
	// Hand: their hand is raised; raised orders hands by when they went
	// up (the how-manieth).
	Hand   bool
	raised int
	// Moderator: they may run the meeting (the host or a co-host).
	Moderator bool
	// Reaction is their last reaction, sent at ReactedAt.
	Reaction  string
	ReactedAt time.Time
}

// gestures is the meeting's side of them.
type gestures struct {
	// Locked: nobody new may join.
	Locked bool
	// MutedBy is who last muted our microphone ("" when nobody did, or
	// when it was unmuted since; the app says so).
	MutedBy string
	// Now tells the time (tests set it).
	Now   func() time.Time
	hands int
}

func (m *Model) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

func (m *Model) applyGesture(ev room.Event) (Change, bool) {
	switch e := ev.(type) {
	case room.HandRaised:
		p := m.people[e.ParticipantID]
		if p == nil || p.Hand == e.Raised {
			return 0, true
		}
		p.Hand, p.raised = e.Raised, 0
		if e.Raised {
			m.hands++
			p.raised = m.hands
		}
		return Gestures, true
	case room.Reaction:
		p := m.people[e.ParticipantID]
		if p == nil || !room.IsReaction(e.Emoji) {
			return 0, true
		}
		p.Reaction, p.ReactedAt = e.Emoji, m.now()
		return Gestures, true
	case room.Moderator:
		p := m.people[e.ParticipantID]
		if p == nil || p.Moderator == e.On {
			return 0, true
		}
		p.Moderator = e.On
		return Gestures, true
	case room.Locked:
		if m.Locked == e.Locked {
			return 0, true
		}
		m.Locked = e.Locked
		return Gestures, true
	case room.MutedByHost:
		m.MutedBy = e.By
		if m.MutedBy == "" {
			m.MutedBy = "?"
		}
		return Gestures | Tracks, true
	}
	return 0, false
}

// Hands are the people whose hand is raised, in the order they raised
// it.
func (m *Model) Hands() []string {
	var ids []string
	for _, id := range m.order {
		if m.people[id].Hand {
			ids = append(ids, id)
		}
	}
	slices.SortFunc(ids, func(a, b string) int { return m.people[a].raised - m.people[b].raised })
	return ids
}

// Moderating says whether we may run the meeting.
func (m *Model) Moderating() bool { return m.people[m.self].Moderator }

// Reacting is the reaction to show over someone's tile now ("" none).
func (m *Model) Reacting(id string) string {
	p := m.people[id]
	if p == nil || p.Reaction == "" || m.now().Sub(p.ReactedAt) >= ReactionShown {
		return ""
	}
	return p.Reaction
}

// ListIDs are the people in the order the people list shows them:
// ourselves, then raised hands in the order they went up, then the
// tiles' order (who speaks or shows video first).
func (m *Model) ListIDs() []string {
	hands := m.Hands()
	ids := make([]string, 0, len(m.order))
	ids = append(ids, m.self)
	for _, id := range hands {
		if id != m.self {
			ids = append(ids, id)
		}
	}
	for _, id := range m.IDs() {
		if id != m.self && !m.people[id].Hand {
			ids = append(ids, id)
		}
	}
	return ids
}
