// Package call is a meeting as the people in it see it: who is there, who
// is muted, the chat and what of it is unread, the connection's state, and
// which videos were last asked of the room. It knows no UI: the app shows
// it (feeding it the room's events on its UI thread) and headless
// participants report it, through the same Apply.
package call

import (
	"maps"
	"slices"

	"kaigi/room"
)

// Person is someone in the meeting.
type Person struct {
	ID, Name   string
	AudioMuted bool
	VideoMuted bool
	HasVideo   bool // a video track is being received
	Left       bool

	// active orders people who have sent video or spoken before the
	// rest: the how-manieth to do so first (0: not yet).
	active int

	// Undecryptable: this kind of their media is end-to-end encrypted
	// with another key (or we have none); it is not shown.
	Undecryptable map[room.Kind]bool

	gesture // a raised hand, a reaction, moderating (gestures.go)
}

// Change says what an event changed, so a screen redraws only for that.
type Change int

const (
	Roster     Change = 1 << iota // someone came, went or was renamed
	Tracks                        // a track came, went or was muted
	Chat                          // a message arrived
	ChatSent                      // a line of ours held while reconnecting went out, or could not
	Connection                    // the connection's state or a notice from the server
	Gestures                      // a hand, a reaction, a moderator, the meeting's lock (gestures.go)
)

// Model is one meeting's state. It is not safe for concurrent use: one
// goroutine (the app's UI thread, headless's event loop) owns it.
type Model struct {
	self   string
	people map[string]*Person
	order  []string // arrival order, ourselves first
	gone   []*Person

	// State is the connection's; Err why it failed.
	State room.State
	Err   error
	// Notice is the last message from the server ("" when dismissed).
	Notice string
	// Reconnects counts the times the connection was lost and resumed.
	Reconnects int
	// Encryption is what the session said of end-to-end encryption (the
	// zero value: none).
	Encryption room.Encryption

	// Chat is every message, in order; Unread those that arrived while
	// the chat was closed.
	Chat     []room.ChatMessage
	Unread   int
	chatOpen bool

	shown   map[string]room.Quality
	actives int // how many have become active

	gestures          // raised hands, the lock, being muted (gestures.go)
	shares   []string // who shares their screen, in the order they started (share.go)
}

// New is a meeting we have just joined as self.
func New(self room.Participant) *Model {
	m := &Model{self: self.ID, people: map[string]*Person{}, State: room.Connected}
	m.people[self.ID] = &Person{ID: self.ID, Name: self.Name}
	m.order = []string{self.ID}
	return m
}

// Self is our own ID.
func (m *Model) Self() string { return m.self }

// Person is someone present (nil if not).
func (m *Model) Person(id string) *Person { return m.people[id] }

// Len is how many people are present, ourselves included.
func (m *Model) Len() int { return len(m.order) }

// IDs are the people present in the order their tiles show: ourselves
// first, then whoever has sent video or spoken, in the order they first
// did, then the rest in order of arrival. So in a large meeting the people
// with their cameras on and those talking are on the first page, and the
// order is stable: someone moves forward once, never back.
func (m *Model) IDs() []string {
	ids := append([]string(nil), m.order...)
	slices.SortStableFunc(ids[1:], func(a, b string) int {
		pa, pb := m.people[a].active, m.people[b].active
		switch {
		case pa == pb:
			return 0
		case pa == 0:
			return 1
		case pb == 0:
			return -1
		}
		return pa - pb
	})
	return ids
}

// activate moves p among the active (once), saying whether it moved.
func (m *Model) activate(p *Person) bool {
	if p.active != 0 || p.ID == m.self {
		return false
	}
	m.actives++
	p.active = m.actives
	return true
}

// Speaking tells the model that someone speaks (the app measures it); it
// says whether the order of the tiles changed.
func (m *Model) Speaking(id string) bool {
	p := m.people[id]
	return p != nil && m.activate(p)
}

// Departed are the people who were here and left.
func (m *Model) Departed() []*Person { return m.gone }

// SetChatOpen says whether the chat is on screen; opening it reads all.
func (m *Model) SetChatOpen(open bool) {
	m.chatOpen = open
	if open {
		m.Unread = 0
	}
}

// ChatOpen says whether the chat is on screen.
func (m *Model) ChatOpen() bool { return m.chatOpen }

// Unsent lists, in order, the text of our lines that have not gone out:
// held (still sending) or refused when their turn came.
func (m *Model) Unsent() []string {
	return m.chatTexts(func(c room.ChatMessage) bool { return c.Sending || c.NotSent })
}

// Refused lists, in order, the text of our lines refused when their turn
// came (the session has forgotten them; the lines it still holds it
// reports itself when it ends).
func (m *Model) Refused() []string {
	return m.chatTexts(func(c room.ChatMessage) bool { return c.NotSent })
}

func (m *Model) chatTexts(keep func(room.ChatMessage) bool) []string {
	var out []string
	for _, c := range m.Chat {
		if keep(c) {
			out = append(out, c.Text)
		}
	}
	return out
}

// DropChat takes our line id that could not be sent out of the chat (the
// user sent its text again). It says whether there was such a line.
func (m *Model) DropChat(id string) bool {
	for i, c := range m.Chat {
		if c.ID == id && c.NotSent {
			m.Chat = slices.Delete(m.Chat, i, i+1)
			return true
		}
	}
	return false
}

// Apply takes in one event of the room's and says what it changed
// (0: nothing to redraw).
func (m *Model) Apply(ev room.Event) Change {
	if c, ok := m.applyGesture(ev); ok {
		return c
	}
	switch e := ev.(type) {
	case room.StateEvent:
		if e.State == room.Reconnecting && m.State != room.Reconnecting {
			m.Reconnects++
		}
		m.State, m.Err = e.State, e.Err
		return Connection
	case room.Notice:
		m.Notice = e.Text
		return Connection
	case room.ParticipantJoined:
		id := e.Participant.ID
		if id == m.self {
			return 0
		}
		if p := m.people[id]; p != nil {
			p.Name = e.Participant.Name
			return Roster
		}
		m.people[id] = &Person{ID: id, Name: e.Participant.Name}
		m.order = append(m.order, id)
		return Roster
	case room.ParticipantLeft:
		p := m.people[e.ID]
		if p == nil || e.ID == m.self {
			return 0
		}
		delete(m.people, e.ID)
		for i, id := range m.order {
			if id == e.ID {
				m.order = append(m.order[:i], m.order[i+1:]...)
				break
			}
		}
		p.Left = true
		m.unshare(e.ID)
		m.gone = append(m.gone, p)
		delete(m.shown, e.ID)
		return Roster
	case room.ParticipantRenamed:
		if p := m.people[e.ID]; p != nil && p.Name != e.Name {
			p.Name = e.Name
			return Roster
		}
	case room.TrackAdded:
		p := m.people[e.ParticipantID]
		if p == nil {
			return 0
		}
		if e.Kind == room.Video {
			p.HasVideo, p.VideoMuted = true, e.Muted
			if m.activate(p) {
				return Tracks | Roster
			}
		} else {
			p.AudioMuted = e.Muted
		}
		return Tracks
	case room.TrackRemoved:
		if p := m.people[e.ParticipantID]; p != nil && e.Kind == room.Video {
			p.HasVideo = false
			return Tracks
		}
	case room.TrackMuted:
		p := m.people[e.ParticipantID]
		if p == nil {
			return 0
		}
		if e.Kind == room.Video {
			p.VideoMuted = e.Muted
		} else {
			p.AudioMuted = e.Muted
		}
		return Tracks
	case room.ShareStarted, room.ShareEnded:
		return m.applyShare(ev)
	case room.Encryption:
		m.Encryption = e
		return Connection
	case room.Undecryptable:
		p := m.people[e.ParticipantID]
		if p == nil || p.Undecryptable[e.Kind] == (e.Err != nil) {
			return 0
		}
		if p.Undecryptable == nil {
			p.Undecryptable = map[room.Kind]bool{}
		}
		p.Undecryptable[e.Kind] = e.Err != nil
		return Tracks
	case room.ChatSent:
		for i := len(m.Chat) - 1; i >= 0; i-- {
			if m.Chat[i].ID == e.ID && m.Chat[i].Sending {
				m.Chat[i].Sending, m.Chat[i].NotSent = false, e.Err != nil
				return ChatSent
			}
		}
		return 0
	case room.ChatMessage:
		m.Chat = append(m.Chat, e)
		if !m.chatOpen && e.FromID != m.self && !e.History {
			m.Unread++
		}
		return Chat
	}
	return 0
}

// Page is one page of ids, pages of size each: the ids on page (clamped to
// the pages there are), the page shown and how many pages there are.
func Page(ids []string, page, size int) (shown []string, at, pages int) {
	pages = max(1, (len(ids)+size-1)/size)
	at = max(0, min(page, pages-1))
	return ids[at*size : min(len(ids), (at+1)*size)], at, pages
}

// Want records the remote videos now on screen and at what quality, and
// says whether that differs from what was last asked of the room (so the
// room is asked only on a change). Our own video is never asked for.
func (m *Model) Want(shown map[string]room.Quality) bool {
	shown = maps.Clone(shown)
	delete(shown, m.self)
	if maps.Equal(shown, m.shown) {
		return false
	}
	m.shown = shown
	return true
}

// Wanted is what was last asked of the room.
func (m *Model) Wanted() map[string]room.Quality { return maps.Clone(m.shown) }
