package galene

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net"
	"strings"
	"time"

	"kaigi/room"
	"kaigi/room/wire"
)

func randomID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (s *session) write(m wire.Message) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	_ = s.conn.SetWriteDeadline(time.Now().Add(writeTimeout))
	return s.conn.WriteJSON(m)
}

func (s *session) read(deadline time.Time) (wire.Message, error) {
	_ = s.conn.SetReadDeadline(deadline)
	_, data, err := s.conn.ReadMessage()
	if err != nil {
		return wire.Message{}, err
	}
	var m wire.Message
	if err := json.Unmarshal(data, &m); err != nil {
		return wire.Message{}, errMalformed
	}
	return m, nil
}

var errMalformed = errors.New("malformed message")

// join does the handshake and the join, and waits for the verdict.
func (s *session) join(ctx context.Context, st wire.Status) error {
	name := s.opts.Name
	if err := s.write(wire.Message{Type: "handshake", Version: []string{"2"}, ID: s.id}); err != nil {
		return room.Fail(room.ErrDisconnected, err, "")
	}
	s.group = st.Name
	j := wire.Message{Type: "join", Kind: "join", Group: st.Name, Username: &name}
	if s.opts.Link.Token != "" {
		j.Token = s.opts.Link.Token
	} else {
		j.Password = s.opts.Password
	}
	if err := s.write(j); err != nil {
		return room.Fail(room.ErrDisconnected, err, "")
	}
	deadline := time.Now().Add(stepTimeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	for {
		m, err := s.read(deadline)
		if errors.Is(err, errMalformed) {
			continue
		}
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return room.Fail(room.ErrTimeout, err, "no answer to join")
			}
			return room.Fail(room.ErrDisconnected, err, "")
		}
		switch m.Type {
		case "ping":
			_ = s.write(wire.Message{Type: "pong"})
		case "usermessage":
			if m.Kind == "error" {
				return room.Fail(room.ErrProtocol, nil, "%s", text(m.Value))
			}
		case "joined":
			switch m.Kind {
			case "join":
				uname := name
				if m.Username != nil && *m.Username != "" {
					uname = *m.Username
				}
				s.self = room.Participant{ID: s.id, Name: uname, Local: true}
				if s.crypt != nil {
					s.events.Emit(room.Encryption{Media: true})
				}
				s.joinedStatus(m)
				s.events.Emit(room.StateEvent{State: room.Connected})
				return nil
			case "fail":
				return joinFailure(m, s.opts.Link.Token == "" && s.opts.Password == "", st.Locked)
			}
		}
	}
}

// joinFailure is why a join failed. A locked group says so in words of
// its own (Galène: the operator's message, or "this group is locked"), so
// the status fetched before joining helps.
func joinFailure(m wire.Message, noCredentials, locked bool) error {
	detail := text(m.Value)
	switch {
	case m.Error == "duplicate-id" || strings.Contains(detail, "duplicate"):
		// Our last connection is still known to the server (it has not
		// seen it drop yet): retried until it has.
		return room.Fail(room.ErrDisconnected, nil, "%s", detail)
	case m.Error == "" && (locked || strings.Contains(detail, "locked")):
		return room.Fail(room.ErrLocked, nil, "%s", detail)
	case m.Error == "not-authorised" || m.Error == "not-authorized" || strings.Contains(detail, "not authorised"):
		if noCredentials {
			return room.Fail(room.ErrPasswordNeeded, nil, "%s", detail)
		}
		if strings.Contains(detail, "no such group") {
			return room.Fail(room.ErrNoRoom, nil, "%s", detail)
		}
		return room.Fail(room.ErrUnauthorized, nil, "%s", detail)
	case strings.Contains(detail, "too many users"), strings.Contains(detail, "full"):
		return room.Fail(room.ErrRoomFull, nil, "%s", detail)
	case strings.Contains(detail, "group") && strings.Contains(detail, "not"):
		return room.Fail(room.ErrNoRoom, nil, "%s", detail)
	}
	return room.Fail(room.ErrUnauthorized, nil, "%s", detail)
}

// text is a message value as text (a JSON string, or the raw JSON).
func text(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	return strings.TrimSpace(string(v))
}
