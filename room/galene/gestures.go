package galene

import (
	"encoding/json"
	"fmt"
	"slices"

	"kaigi/room"
	"kaigi/room/wire"
)

// Raised hands, reactions and the host's controls, in Galène's own terms
// so that its web client and Kaigi understand each other: a raised hand
// is "raisehand": true in the user's data (null lowers it), a reaction a
// user message of kind kaigi.reaction, and the controls are the operator's
// actions (useraction kick/op/unop, usermessage mute, groupaction
// lock/unlock).

const (
	dataRaiseHand = "raisehand"
	kindReaction  = "kaigi.reaction"
)

// userStatus is what we last told the UI of the others and the group, so
// that a user change says only what changed.
type userStatus struct {
	hands  map[string]bool
	ops    map[string]bool
	op     bool // ourselves
	hand   bool // ourselves
	locked bool
}

func (s *session) RaiseHand(raised bool) error {
	v := any(nil) // null removes the key: the hand is down
	if raised {
		v = true
	}
	s.mu.Lock()
	s.status.hand = raised
	s.mu.Unlock()
	data, _ := json.Marshal(map[string]any{dataRaiseHand: v})
	if err := s.write(wire.Message{Type: "useraction", Kind: "setdata", Dest: s.id, Value: data}); err != nil {
		return room.Fail(room.ErrDisconnected, err, "")
	}
	s.events.Emit(room.HandRaised{ParticipantID: s.id, Raised: raised})
	return nil
}

// restoreHand raises our hand again after a rejoin (the server forgot
// the user data of the connection it lost).
func (s *session) restoreHand() {
	s.mu.Lock()
	raised := s.status.hand
	s.mu.Unlock()
	if raised {
		data, _ := json.Marshal(map[string]any{dataRaiseHand: true})
		_ = s.write(wire.Message{Type: "useraction", Kind: "setdata", Dest: s.id, Value: data})
	}
}

func (s *session) React(emoji string) error {
	if !room.IsReaction(emoji) {
		return fmt.Errorf("not a reaction: %q", emoji)
	}
	v, _ := json.Marshal(emoji)
	name := s.self.Name
	if err := s.write(wire.Message{Type: "usermessage", Kind: kindReaction, Source: s.id, Username: &name, NoEcho: true, Value: v}); err != nil {
		return room.Fail(room.ErrDisconnected, err, "")
	}
	s.events.Emit(room.Reaction{ParticipantID: s.id, Emoji: emoji})
	return nil
}

func (s *session) MuteParticipant(id string) error {
	return s.control(wire.Message{Type: "usermessage", Kind: "mute", Source: s.id, Dest: id})
}

func (s *session) MuteAll() error {
	s.mu.Lock()
	ids := make([]string, 0, len(s.users))
	for id := range s.users {
		ids = append(ids, id)
	}
	s.mu.Unlock()
	for _, id := range ids {
		if err := s.MuteParticipant(id); err != nil {
			return err
		}
	}
	return nil
}

func (s *session) RemoveParticipant(id string) error {
	return s.control(wire.Message{Type: "useraction", Kind: "kick", Source: s.id, Dest: id})
}

func (s *session) Lock(locked bool) error {
	kind := "unlock"
	if locked {
		kind = "lock"
	}
	return s.control(wire.Message{Type: "groupaction", Kind: kind, Source: s.id})
}

func (s *session) SetCoHost(id string, on bool) error {
	kind := "unop"
	if on {
		kind = "op"
	}
	return s.control(wire.Message{Type: "useraction", Kind: kind, Source: s.id, Dest: id})
}

// control sends an operator's action; the server refuses it (with a
// user message of kind error) unless we are one.
func (s *session) control(m wire.Message) error {
	name := s.self.Name
	m.Username = &name
	if err := s.write(m); err != nil {
		return room.Fail(room.ErrDisconnected, err, "")
	}
	return nil
}

// userChanged tells the UI what a user message says of someone's hand and
// permissions, when it changed.
func (s *session) userChanged(m wire.Message) {
	hand, _ := m.Data[dataRaiseHand].(bool)
	op := slices.Contains(m.Permissions, "op")
	s.mu.Lock()
	handWas, opWas := s.status.hands[m.ID], s.status.ops[m.ID]
	s.status.hands[m.ID], s.status.ops[m.ID] = hand, op
	s.mu.Unlock()
	if hand != handWas {
		s.events.Emit(room.HandRaised{ParticipantID: m.ID, Raised: hand})
	}
	if op != opWas {
		s.events.Emit(room.Moderator{ParticipantID: m.ID, On: op})
	}
}

// forget drops what we knew of someone who left.
func (s *session) forget(id string) {
	delete(s.status.hands, id)
	delete(s.status.ops, id)
}

// joinedStatus takes in our permissions and the group's status from a
// joined message (on joining, and kind change when they change).
func (s *session) joinedStatus(m wire.Message) {
	op := slices.Contains(m.Permissions, "op")
	var st wire.Status
	_ = json.Unmarshal(m.Status, &st)
	s.mu.Lock()
	opWas, lockedWas := s.status.op, s.status.locked
	s.status.op, s.status.locked = op, st.Locked
	s.mu.Unlock()
	if op != opWas {
		s.events.Emit(room.Moderator{ParticipantID: s.id, On: op})
	}
	if st.Locked != lockedWas {
		s.events.Emit(room.Locked{Locked: st.Locked})
	}
}

// mutedByHost obeys a privileged mute: our microphone goes off, and the
// UI says who did it. An unprivileged one (a server that passes anyone's
// on) is ignored.
func (s *session) mutedByHost(m wire.Message) {
	if !m.Privileged {
		return
	}
	s.mu.Lock()
	s.muted[room.Audio] = true
	s.mu.Unlock()
	_ = s.applyMute()
	by := ""
	if m.Username != nil {
		by = *m.Username
	}
	s.events.Emit(room.MutedByHost{By: by})
}

// reaction passes on someone's reaction, if it is one we know.
func (s *session) reaction(m wire.Message) {
	e := text(m.Value)
	if m.Source == "" || m.Source == s.id || !room.IsReaction(e) {
		return
	}
	s.events.Emit(room.Reaction{ParticipantID: m.Source, Emoji: e})
}
