package galene

import (
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/pion/webrtc/v4"

	"kaigi/room"
	"kaigi/room/wire"
)

func (s *session) readLoop() {
	go func() {
		<-s.ctx.Done()
		s.writeMu.Lock()
		_ = s.conn.SetReadDeadline(time.Now())
		s.writeMu.Unlock()
	}()
	for {
		m, err := s.read(time.Now().Add(idleTimeout))
		if errors.Is(err, errMalformed) {
			continue
		}
		if err != nil {
			if s.ctx.Err() != nil {
				return
			}
			ok, why := s.reconnect()
			if ok {
				continue
			}
			if why != nil {
				err = why
			}
			s.lost(err)
			return
		}
		s.handle(m)
	}
}

// lost ends the session when the connection fails under us.
func (s *session) lost(err error) {
	s.mu.Lock()
	left := s.left
	s.left = true
	var unsent []string
	for _, h := range s.pending {
		unsent = append(unsent, h.text)
	}
	s.pending = nil
	s.mu.Unlock()
	if left {
		return
	}
	var re *room.Error
	if !errors.As(err, &re) {
		err = room.Fail(room.ErrDisconnected, err, "")
	}
	s.events.Emit(room.StateEvent{State: room.Failed, Err: err, Unsent: unsent})
	go s.shutdown()
}

func (s *session) handle(m wire.Message) {
	switch m.Type {
	case "ping":
		_ = s.write(wire.Message{Type: "pong"})
	case "user":
		s.handleUser(m)
	case "chat", "chathistory":
		if m.Kind == "caption" {
			return
		}
		who := ""
		if m.Username != nil {
			who = *m.Username
		}
		at, err := time.Parse(time.RFC3339Nano, m.Time)
		if err != nil {
			at = time.Now()
		}
		body := text(m.Value)
		if body == "" || s.seen(m) || s.sentHeld(m, body) {
			return
		}
		s.events.Emit(room.ChatMessage{FromID: m.Source, FromName: who, Text: body, Time: at, History: m.Type == "chathistory"})
	case "usermessage":
		switch m.Kind {
		case "error", "warning", "info":
			s.events.Emit(room.Notice{Level: m.Kind, Text: text(m.Value)})
		case "mute":
			s.mutedByHost(m)
		case kindReaction:
			s.reaction(m)
		case "kicked":
			s.mu.Lock()
			left := s.left
			s.left = true
			s.mu.Unlock()
			if !left {
				reason := room.ErrKicked
				if strings.Contains(text(m.Value), "ended") || strings.Contains(text(m.Value), "stopped") {
					reason = room.ErrEnded
				}
				s.events.Emit(room.StateEvent{State: room.Failed, Err: room.Fail(reason, nil, "%s", text(m.Value))})
				go s.shutdown()
			}
		}
	case "offer":
		s.handleOffer(m)
	case "answer":
		if up := s.upStream(m.ID); up != nil {
			if err := up.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: m.SDP}); err == nil {
				up.flush()
				s.useRED(up)
			}
		}
	case "ice":
		var c webrtc.ICECandidateInit
		if json.Unmarshal(m.Candidate, &c) != nil || c.Candidate == "" {
			return
		}
		if st := s.stream(m.ID); st != nil {
			st.add(c)
		}
	case "renegotiate":
		if up := s.upStream(m.ID); up != nil {
			_ = s.offer(up, true)
		}
	case "close":
		s.closeDown(m.ID)
	case "abort":
		if s.abortShare(m.ID) {
			return
		}
		s.mu.Lock()
		up := s.up
		if up != nil && up.id == m.ID {
			s.up = nil
		}
		s.mu.Unlock()
		if up != nil && up.id == m.ID {
			_ = s.write(wire.Message{Type: "close", ID: m.ID})
			_ = up.pc.Close()
		}
	case "joined":
		switch m.Kind {
		case "leave", "fail":
			s.lost(errors.New(text(m.Value)))
		case "change":
			s.joinedStatus(m)
		}
	}
}

// seen tells whether a chat message was shown already: a rejoin replays
// the group's history, which holds what we saw before the drop.
func (s *session) seen(m wire.Message) bool {
	key := m.Source + "\x00" + m.Time + "\x00" + string(m.Value)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seenChat[key] {
		return true
	}
	if len(s.seenChat) >= maxSeenChat {
		clear(s.seenChat)
	}
	s.seenChat[key] = true
	return false
}

const maxSeenChat = 4096

func (s *session) stream(id string) *stream {
	if up := s.upStream(id); up != nil {
		return up
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.down[id]
}

// upStream is our up stream (camera or share) of that id, if it is one.
func (s *session) upStream(id string) *stream {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.up != nil && s.up.id == id {
		return s.up
	}
	if s.share != nil && s.share.st.id == id {
		return s.share.st
	}
	return nil
}

func (st *stream) add(c webrtc.ICECandidateInit) { st.ice.Add(st.pc, c) }

func (st *stream) flush() { st.ice.Flush(st.pc) }
