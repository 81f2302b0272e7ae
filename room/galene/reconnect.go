package galene

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/gorilla/websocket"
	"github.com/pion/webrtc/v4"

	"kaigi/room"
	"kaigi/room/wire"
)

// How a lost connection comes back. The socket dropping (the host
// restarted, the network went away long enough for TCP to give up) is a
// rejoin: a new socket, the same client id, our media published again and
// everyone's asked for again. The up stream's ICE failing while the socket
// lives is an ICE restart. Either way the call shows Reconnecting until
// media flows again, and fails only past ReconnectFor.
const defaultReconnectFor = 30 * time.Second

// Bounds of the wait between two attempts to rejoin.
const (
	firstRetry = 250 * time.Millisecond
	maxRetry   = 2 * time.Second
)

func (s *session) reconnectFor() time.Duration {
	if s.o.ReconnectFor == 0 {
		return defaultReconnectFor
	}
	return s.o.ReconnectFor
}

// reconnect rejoins after the socket was lost; false (with the reason)
// when it could not within the limit or the session was left meanwhile.
func (s *session) reconnect() (bool, error) {
	limit := s.reconnectFor()
	if limit < 0 {
		return false, nil
	}
	s.mu.Lock()
	if s.left {
		s.mu.Unlock()
		return false, nil
	}
	s.reconnecting = true
	already := s.mediaDown
	s.mu.Unlock()
	if !already {
		s.events.Emit(room.StateEvent{State: room.Reconnecting})
	}
	s.dropMedia()
	deadline := time.Now().Add(limit)
	wait := firstRetry
	var last error
	for {
		if s.ctx.Err() != nil {
			return false, nil
		}
		if time.Now().After(deadline) {
			return false, last
		}
		err := s.rejoin(deadline)
		if err == nil {
			return true, nil
		}
		last = err
		if !retryable(err) {
			return false, err
		}
		select {
		case <-s.ctx.Done():
			return false, nil
		case <-time.After(wait):
		}
		wait = min(2*wait, maxRetry)
	}
}

// retryable tells a server that is not there yet from one that answers
// no: a meeting that has ended or a link no longer accepted is final.
func retryable(err error) bool {
	var re *room.Error
	if !errors.As(err, &re) {
		return true
	}
	switch re.Reason {
	case room.ErrUnauthorized, room.ErrNoRoom, room.ErrCertificate, room.ErrEnded, room.ErrKicked, room.ErrRoomFull:
		return false
	}
	return true
}

// rejoin is one attempt: a new socket, the join under the same id, then
// our media and the request for everyone's.
func (s *session) rejoin(deadline time.Time) error {
	if step := time.Now().Add(stepTimeout); step.Before(deadline) {
		deadline = step
	}
	ctx, cancel := context.WithDeadline(s.ctx, deadline)
	defer cancel()
	conn, status, err := s.connect(ctx)
	if err != nil {
		return err
	}
	s.writeMu.Lock()
	if s.ctx.Err() != nil { // left meanwhile: shutdown closed the old one
		s.writeMu.Unlock()
		conn.Close()
		return context.Canceled
	}
	old := s.conn
	s.conn = conn
	s.writeMu.Unlock()
	_ = old.Close()
	if err := s.join(ctx, status); err != nil {
		_ = conn.Close()
		return err
	}
	s.mu.Lock()
	s.reconnecting, s.mediaDown = false, false
	pending := s.pending
	s.pending = nil
	s.absent = map[string]bool{}
	for id := range s.users {
		s.absent[id] = true
	}
	s.mu.Unlock()
	time.AfterFunc(rosterSettle, s.forgetAbsent)
	if err := s.start(); err != nil {
		return err
	}
	s.republishShare()
	_ = s.applyMute()
	s.restoreHand()
	s.sendHeld(pending)
	return nil
}

// dropMedia closes every PeerConnection of the lost connection. Each down
// stream's tracks end, which tells the call they are gone; the roster
// stays, and whoever left meanwhile is removed when the rejoin's user
// list comes (see forgetAbsent).
func (s *session) dropMedia() {
	s.mu.Lock()
	up, down := s.up, s.down
	s.up, s.down = nil, map[string]*stream{}
	s.mu.Unlock()
	if up != nil {
		_ = up.pc.Close()
	}
	for _, st := range down {
		_ = st.pc.Close()
	}
}

// rosterSettle is how long after a rejoin the server's user list is taken
// as complete: it sends it right after the join.
const rosterSettle = 2 * time.Second

// forgetAbsent removes whoever the rejoin's user list did not name: they
// left while we were away.
func (s *session) forgetAbsent() {
	s.mu.Lock()
	if s.left {
		s.mu.Unlock()
		return
	}
	var gone []string
	for id := range s.absent {
		if _, ok := s.users[id]; ok {
			gone = append(gone, id)
			delete(s.users, id)
			delete(s.othersMuted, id)
			s.forget(id)
		}
	}
	s.absent = nil
	s.mu.Unlock()
	for _, id := range gone {
		s.events.Emit(room.ParticipantLeft{ID: id})
	}
}

// watchUp follows the up stream's ICE: lost means Reconnecting, and a
// failure restarts ICE; back means Connected again.
func (s *session) watchUp(st *stream) {
	st.pc.OnICEConnectionStateChange(func(state webrtc.ICEConnectionState) {
		switch state {
		case webrtc.ICEConnectionStateDisconnected, webrtc.ICEConnectionStateFailed:
			s.mu.Lock()
			emit := !s.left && !s.reconnecting && !s.mediaDown && s.up == st
			if s.up == st {
				s.mediaDown = true
			}
			s.mu.Unlock()
			if emit {
				s.events.Emit(room.StateEvent{State: room.Reconnecting})
			}
			if state == webrtc.ICEConnectionStateFailed {
				_ = s.offer(st, true)
			}
		case webrtc.ICEConnectionStateConnected, webrtc.ICEConnectionStateCompleted:
			s.mu.Lock()
			emit := !s.left && !s.reconnecting && s.mediaDown && s.up == st
			if s.up == st {
				s.mediaDown = false
			}
			s.mu.Unlock()
			if emit {
				s.events.Emit(room.StateEvent{State: room.Connected})
			}
		}
	})
}

// heldChat is a line of ours typed while the connection was down.
type heldChat struct{ id, text string }

// queueChat keeps a message typed while the connection is down and shows
// it as sending; it is sent once, after the rejoin. False: the connection
// is up.
func (s *session) queueChat(t string) bool {
	s.mu.Lock()
	if !s.reconnecting {
		s.mu.Unlock()
		return false
	}
	h := heldChat{randomID(), t}
	s.pending = append(s.pending, h)
	s.mu.Unlock()
	s.events.Emit(room.ChatMessage{ID: h.id, FromID: s.id, FromName: s.self.Name, Text: t, Time: time.Now(), Sending: true})
	return true
}

// sendHeld sends what was typed while the connection was down, in order.
// Each line has gone out when the server echoes it (sentHeld); one the
// socket refuses is reported not sent.
func (s *session) sendHeld(held []heldChat) {
	for _, h := range held {
		s.mu.Lock()
		s.echoes = append(s.echoes, h)
		s.mu.Unlock()
		if err := s.writeChat(h.text); err != nil {
			s.mu.Lock()
			s.echoes = slices.DeleteFunc(s.echoes, func(e heldChat) bool { return e.id == h.id })
			s.mu.Unlock()
			s.events.Emit(room.ChatSent{ID: h.id, Err: room.Fail(room.ErrDisconnected, err, "chat not sent")})
		}
	}
}

// sentHeld takes our own chat m, echoed by the server: if it is a held
// line's, that line has gone out and m is not shown again.
func (s *session) sentHeld(m wire.Message, body string) bool {
	if m.Type != "chat" || m.Source != s.id {
		return false
	}
	s.mu.Lock()
	i := slices.IndexFunc(s.echoes, func(e heldChat) bool { return e.text == body })
	var id string
	if i >= 0 {
		id = s.echoes[i].id
		s.echoes = slices.Delete(s.echoes, i, i+1)
	}
	s.mu.Unlock()
	if i < 0 {
		return false
	}
	s.events.Emit(room.ChatSent{ID: id})
	return true
}

// closeSocket says goodbye with a close frame (without one a server sees
// the connection drop, close code 1006, rather than a client that left)
// and closes the socket.
func (s *session) closeSocket() {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	bye := websocket.FormatCloseMessage(websocket.CloseNormalClosure, "")
	_ = s.conn.WriteControl(websocket.CloseMessage, bye, time.Now().Add(time.Second))
	_ = s.conn.Close()
}
