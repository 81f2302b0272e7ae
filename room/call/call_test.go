package call

import (
	"errors"
	"slices"
	"testing"

	"kaigi/room"
)

func TestRoster(t *testing.T) {
	m := New(room.Participant{ID: "me", Name: "Aiko"})
	steps := []struct {
		ev     room.Event
		change Change
		ids    []string
	}{
		{room.ParticipantJoined{Participant: room.Participant{ID: "me", Name: "Aiko"}}, 0, []string{"me"}},
		{room.ParticipantJoined{Participant: room.Participant{ID: "k", Name: "Ken"}}, Roster, []string{"me", "k"}},
		{room.ParticipantJoined{Participant: room.Participant{ID: "l", Name: "林美玲"}}, Roster, []string{"me", "k", "l"}},
		{room.ParticipantJoined{Participant: room.Participant{ID: "k", Name: "Ken S"}}, Roster, []string{"me", "k", "l"}},
		{room.ParticipantRenamed{ID: "l", Name: "美玲"}, Roster, []string{"me", "k", "l"}},
		{room.ParticipantRenamed{ID: "l", Name: "美玲"}, 0, []string{"me", "k", "l"}},
		{room.ParticipantLeft{ID: "k"}, Roster, []string{"me", "l"}},
		{room.ParticipantLeft{ID: "k"}, 0, []string{"me", "l"}},
		{room.ParticipantLeft{ID: "me"}, 0, []string{"me", "l"}},
		{room.ParticipantLeft{ID: "nobody"}, 0, []string{"me", "l"}},
	}
	for i, s := range steps {
		if got := m.Apply(s.ev); got != s.change {
			t.Errorf("step %d (%T): change %v, want %v", i, s.ev, got, s.change)
		}
		if !slices.Equal(m.IDs(), s.ids) {
			t.Errorf("step %d: ids %v, want %v", i, m.IDs(), s.ids)
		}
	}
	if m.Person("l").Name != "美玲" {
		t.Errorf("rename lost: %q", m.Person("l").Name)
	}
	if d := m.Departed(); len(d) != 1 || d[0].ID != "k" || !d[0].Left || d[0].Name != "Ken S" {
		t.Errorf("departed: %+v", d)
	}
}

// A track that arrives muted keeps the mute; one that arrives after a
// mute learned from elsewhere takes the track's word.
func TestMutesAndTracks(t *testing.T) {
	m := New(room.Participant{ID: "me"})
	m.Apply(room.ParticipantJoined{Participant: room.Participant{ID: "k", Name: "Ken"}})
	for _, s := range []struct {
		ev                     room.Event
		audio, video, hasVideo bool
	}{
		{room.TrackAdded{ParticipantID: "k", Kind: room.Audio, Muted: true}, true, false, false},
		{room.TrackAdded{ParticipantID: "k", Kind: room.Video}, true, false, true},
		{room.TrackMuted{ParticipantID: "k", Kind: room.Video, Muted: true}, true, true, true},
		{room.TrackMuted{ParticipantID: "k", Kind: room.Audio, Muted: false}, false, true, true},
		{room.TrackRemoved{ParticipantID: "k", Kind: room.Video}, false, true, false},
	} {
		if m.Apply(s.ev)&Tracks == 0 {
			t.Errorf("%+v: not a track change", s.ev)
		}
		p := m.Person("k")
		if p.AudioMuted != s.audio || p.VideoMuted != s.video || p.HasVideo != s.hasVideo {
			t.Errorf("after %+v: %+v", s.ev, *p)
		}
	}
	if m.Apply(room.TrackMuted{ParticipantID: "gone", Kind: room.Audio, Muted: true}) != 0 {
		t.Error("a mute of someone absent changed something")
	}
}

func TestChatUnread(t *testing.T) {
	m := New(room.Participant{ID: "me"})
	msg := func(from string, history bool) room.ChatMessage {
		return room.ChatMessage{FromID: from, Text: "こんにちは", History: history}
	}
	m.Apply(msg("k", true))   // before we came: not unread
	m.Apply(msg("me", false)) // our own
	m.Apply(msg("k", false))
	m.Apply(msg("k", false))
	if m.Unread != 2 || len(m.Chat) != 4 {
		t.Fatalf("unread %d of %d", m.Unread, len(m.Chat))
	}
	m.SetChatOpen(true)
	m.Apply(msg("k", false))
	if m.Unread != 0 {
		t.Errorf("open chat still counts %d unread", m.Unread)
	}
}

// TestChatSending: our line held while reconnecting is marked sending
// until the session says it went out; a report for another line, or a
// second one, changes nothing.
func TestChatSending(t *testing.T) {
	m := New(room.Participant{ID: "me"})
	m.Apply(room.ChatMessage{ID: "1", FromID: "me", Text: "held", Sending: true})
	m.Apply(room.ChatMessage{ID: "2", FromID: "k", Text: "theirs"})
	if m.Apply(room.ChatSent{ID: "9"}) != 0 {
		t.Error("a report for an unknown line changed something")
	}
	if m.Apply(room.ChatSent{ID: "1"}) != ChatSent || m.Chat[0].Sending {
		t.Errorf("the held line is still sending: %+v", m.Chat[0])
	}
	if m.Apply(room.ChatSent{ID: "1"}) != 0 {
		t.Error("a second report changed something")
	}
	if u := m.Unsent(); len(u) != 0 {
		t.Errorf("unsent %q after it went out", u)
	}
}

// TestChatNotSent: a held line refused when its turn came is marked not
// sent; it and the lines still held are what Unsent lists, in order; the
// user sending it again drops the refused line.
func TestChatNotSent(t *testing.T) {
	m := New(room.Participant{ID: "me"})
	m.Apply(room.ChatMessage{ID: "1", FromID: "me", Text: "refused", Sending: true})
	m.Apply(room.ChatMessage{ID: "2", FromID: "me", Text: "held", Sending: true})
	m.Apply(room.ChatMessage{ID: "3", FromID: "me", Text: "went"})
	if m.Apply(room.ChatSent{ID: "1", Err: errors.New("data channel closed")}) != ChatSent {
		t.Fatal("a refusal changed nothing")
	}
	if c := m.Chat[0]; c.Sending || !c.NotSent {
		t.Errorf("the refused line: %+v", c)
	}
	if u := m.Unsent(); !slices.Equal(u, []string{"refused", "held"}) {
		t.Errorf("unsent %q, want refused, held", u)
	}
	if r := m.Refused(); !slices.Equal(r, []string{"refused"}) {
		t.Errorf("refused %q, want refused", r)
	}
	if m.DropChat("2") || m.DropChat("3") {
		t.Error("dropped a line that was not refused")
	}
	if !m.DropChat("1") || len(m.Chat) != 2 || m.Chat[0].ID != "2" {
		t.Errorf("after dropping the refused line: %+v", m.Chat)
	}
}

func TestConnection(t *testing.T) {
	m := New(room.Participant{ID: "me"})
	m.Apply(room.StateEvent{State: room.Reconnecting})
	m.Apply(room.StateEvent{State: room.Reconnecting})
	m.Apply(room.StateEvent{State: room.Connected})
	m.Apply(room.StateEvent{State: room.Reconnecting})
	if m.Reconnects != 2 {
		t.Errorf("%d reconnects, want 2", m.Reconnects)
	}
	cause := room.Fail(room.ErrEnded, nil, "")
	if m.Apply(room.StateEvent{State: room.Failed, Err: cause}) != Connection || m.State != room.Failed || !errors.Is(m.Err, room.ErrEnded) {
		t.Errorf("failure not kept: %v %v", m.State, m.Err)
	}
	if m.Apply(room.Notice{Text: "maintenance at 18:00"}) != Connection || m.Notice == "" {
		t.Error("notice not kept")
	}
}

func TestPage(t *testing.T) {
	ids := []string{"a", "b", "c", "d", "e"}
	for _, c := range []struct {
		page, size int
		shown      []string
		at, pages  int
	}{
		{0, 2, []string{"a", "b"}, 0, 3},
		{2, 2, []string{"e"}, 2, 3},
		{9, 2, []string{"e"}, 2, 3},
		{-1, 2, []string{"a", "b"}, 0, 3},
		{0, 16, ids, 0, 1},
	} {
		shown, at, pages := Page(ids, c.page, c.size)
		if !slices.Equal(shown, c.shown) || at != c.at || pages != c.pages {
			t.Errorf("Page(%d, %d) = %v %d %d", c.page, c.size, shown, at, pages)
		}
	}
	if shown, _, pages := Page(nil, 0, 16); len(shown) != 0 || pages != 1 {
		t.Errorf("no one: %v, %d pages", shown, pages)
	}
}

func TestWant(t *testing.T) {
	m := New(room.Participant{ID: "me"})
	if !m.Want(map[string]room.Quality{"me": room.QualityHigh, "k": room.QualityLow}) {
		t.Error("first selection not a change")
	}
	if m.Want(map[string]room.Quality{"k": room.QualityLow}) {
		t.Error("the same selection (our own video aside) asked again")
	}
	if _, ok := m.Wanted()["me"]; ok {
		t.Error("our own video asked for")
	}
	if !m.Want(map[string]room.Quality{"k": room.QualityHigh}) {
		t.Error("a quality change not a change")
	}
}

// Tiles: ourselves, then who sent video or spoke (in the order they first
// did), then the rest by arrival; nobody moves back.
func TestOrder(t *testing.T) {
	m := New(room.Participant{ID: "me"})
	for _, id := range []string{"a", "b", "c", "d", "e"} {
		m.Apply(room.ParticipantJoined{Participant: room.Participant{ID: id, Name: id}})
	}
	if got := m.IDs(); !slices.Equal(got, []string{"me", "a", "b", "c", "d", "e"}) {
		t.Fatalf("arrival order %v", got)
	}
	if m.Apply(room.TrackAdded{ParticipantID: "d", Kind: room.Video})&Roster == 0 {
		t.Error("d's video did not reorder the tiles")
	}
	if !m.Speaking("c") || m.Speaking("c") {
		t.Error("c speaking reorders once, and only once")
	}
	m.Apply(room.TrackAdded{ParticipantID: "e", Kind: room.Audio})
	m.Apply(room.TrackRemoved{ParticipantID: "d", Kind: room.Video})
	if got := m.IDs(); !slices.Equal(got, []string{"me", "d", "c", "a", "b", "e"}) {
		t.Errorf("order %v", got)
	}
	if m.Speaking("me") || m.Speaking("nobody") {
		t.Error("ourselves or someone absent reordered the tiles")
	}
}

func TestShares(t *testing.T) {
	m := New(room.Participant{ID: "me", Name: "Me"})
	for _, id := range []string{"ann", "ben"} {
		m.Apply(room.ParticipantJoined{Participant: room.Participant{ID: id, Name: id}})
	}
	steps := []struct {
		ev        room.Event
		change    Change
		presenter string
	}{
		{room.ShareStarted{ParticipantID: "me", Local: true}, Tracks, ""},
		{room.ShareStarted{ParticipantID: "ann"}, Tracks, "ann"},
		{room.ShareStarted{ParticipantID: "ann"}, 0, "ann"},
		{room.ShareStarted{ParticipantID: "ben"}, Tracks, "ben"},
		{room.ShareStarted{ParticipantID: "nobody"}, 0, "ben"},
		{room.ShareEnded{ParticipantID: "ben"}, Tracks, "ann"},
		{room.ParticipantLeft{ID: "ann"}, Roster, ""},
		{room.ShareEnded{ParticipantID: "ann"}, 0, ""},
	}
	for i, s := range steps {
		if c := m.Apply(s.ev); c != s.change {
			t.Errorf("step %d %+v: change %v, want %v", i, s.ev, c, s.change)
		}
		if p := m.Presenter(); p != s.presenter {
			t.Errorf("step %d %+v: presenter %q, want %q", i, s.ev, p, s.presenter)
		}
	}
	if !m.Sharing("me") || m.Sharing("ann") {
		t.Errorf("sharers %v", m.Sharers())
	}
}
