package call

import (
	"slices"
	"testing"
	"time"

	"kaigi/room"
)

func TestHands(t *testing.T) {
	m := New(room.Participant{ID: "me", Name: "Aiko"})
	for _, id := range []string{"a", "b", "c", "d"} {
		m.Apply(room.ParticipantJoined{Participant: room.Participant{ID: id, Name: id}})
	}
	m.Apply(room.TrackAdded{ParticipantID: "d", Kind: room.Video}) // d shows video: first among tiles
	steps := []struct {
		ev     room.Event
		change Change
		hands  []string
		list   []string
	}{
		{room.HandRaised{ParticipantID: "c", Raised: true}, Gestures, []string{"c"}, []string{"me", "c", "d", "a", "b"}},
		{room.HandRaised{ParticipantID: "c", Raised: true}, 0, []string{"c"}, []string{"me", "c", "d", "a", "b"}},
		{room.HandRaised{ParticipantID: "a", Raised: true}, Gestures, []string{"c", "a"}, []string{"me", "c", "a", "d", "b"}},
		{room.HandRaised{ParticipantID: "me", Raised: true}, Gestures, []string{"c", "a", "me"}, []string{"me", "c", "a", "d", "b"}},
		{room.HandRaised{ParticipantID: "c", Raised: false}, Gestures, []string{"a", "me"}, []string{"me", "a", "d", "b", "c"}},
		{room.HandRaised{ParticipantID: "c", Raised: true}, Gestures, []string{"a", "me", "c"}, []string{"me", "a", "c", "d", "b"}},
		{room.ParticipantLeft{ID: "a"}, Roster, []string{"me", "c"}, []string{"me", "c", "d", "b"}},
		{room.HandRaised{ParticipantID: "nobody", Raised: true}, 0, []string{"me", "c"}, []string{"me", "c", "d", "b"}},
	}
	for i, s := range steps {
		if got := m.Apply(s.ev); got != s.change {
			t.Errorf("step %d (%+v): change %v, want %v", i, s.ev, got, s.change)
		}
		if !slices.Equal(m.Hands(), s.hands) {
			t.Errorf("step %d: hands %v, want %v", i, m.Hands(), s.hands)
		}
		if !slices.Equal(m.ListIDs(), s.list) {
			t.Errorf("step %d: list %v, want %v", i, m.ListIDs(), s.list)
		}
	}
	// Hands do not move tiles: the grid keeps its order.
	if ids := m.IDs(); !slices.Equal(ids, []string{"me", "d", "b", "c"}) {
		t.Errorf("tiles %v", ids)
	}
}

func TestReactions(t *testing.T) {
	now := time.Unix(1000, 0)
	m := New(room.Participant{ID: "me", Name: "Aiko"})
	m.Now = func() time.Time { return now }
	m.Apply(room.ParticipantJoined{Participant: room.Participant{ID: "k", Name: "Ken"}})
	if c := m.Apply(room.Reaction{ParticipantID: "k", Emoji: "🎉"}); c != Gestures || m.Reacting("k") != "🎉" {
		t.Errorf("reaction: change %v, showing %q", c, m.Reacting("k"))
	}
	if c := m.Apply(room.Reaction{ParticipantID: "k", Emoji: "<script>"}); c != 0 || m.Reacting("k") != "🎉" {
		t.Errorf("an unknown reaction was taken: %v %q", c, m.Reacting("k"))
	}
	now = now.Add(ReactionShown - time.Millisecond)
	if m.Reacting("k") != "🎉" {
		t.Error("gone too soon")
	}
	now = now.Add(time.Millisecond)
	if m.Reacting("k") != "" || m.Reacting("me") != "" || m.Reacting("nobody") != "" {
		t.Error("still shown")
	}
}

func TestModerating(t *testing.T) {
	m := New(room.Participant{ID: "me", Name: "Aiko"})
	m.Apply(room.ParticipantJoined{Participant: room.Participant{ID: "k", Name: "Ken"}})
	if m.Moderating() {
		t.Error("moderating from the start")
	}
	for _, s := range []struct {
		ev     room.Event
		change Change
	}{
		{room.Moderator{ParticipantID: "me", On: true}, Gestures},
		{room.Moderator{ParticipantID: "me", On: true}, 0},
		{room.Moderator{ParticipantID: "k", On: true}, Gestures},
		{room.Locked{Locked: true}, Gestures},
		{room.Locked{Locked: true}, 0},
		{room.MutedByHost{By: "Ken"}, Gestures | Tracks},
	} {
		if got := m.Apply(s.ev); got != s.change {
			t.Errorf("%+v: change %v, want %v", s.ev, got, s.change)
		}
	}
	if !m.Moderating() || !m.Person("k").Moderator || !m.Locked || m.MutedBy != "Ken" {
		t.Errorf("model %+v %+v", m.gestures, m.Person("k").gesture)
	}
}
