package livekit

import (
	"errors"
	"fmt"
	"strings"
	"time"

	lksdk "github.com/livekit/server-sdk-go/v2"

	"kaigi/room"
)

func (s *session) onReconnecting() {
	s.mu.Lock()
	if s.watchdog == nil {
		s.watchdog = time.AfterFunc(reconnectWindow, func() { s.onDisconnected("could not reconnect") })
	}
	s.mu.Unlock()
	s.chatOut.setReconnecting(true)
	s.events.Emit(room.StateEvent{State: room.Reconnecting})
}

func (s *session) onReconnected() {
	s.mu.Lock()
	if s.watchdog != nil {
		s.watchdog.Stop()
		s.watchdog = nil
	}
	s.mu.Unlock()
	s.events.Emit(room.StateEvent{State: room.Connected})
	s.chatOut.setReconnecting(false)
}

func (s *session) onDisconnected(reason lksdk.DisconnectionReason) {
	s.mu.Lock()
	left := s.left
	s.left = true
	if s.watchdog != nil {
		s.watchdog.Stop()
	}
	s.mu.Unlock()
	if left {
		return
	}
	r := room.ErrDisconnected
	switch {
	case strings.Contains(string(reason), "duplicate"):
		r = room.ErrKicked
	case strings.Contains(strings.ToLower(string(reason)), "removed"):
		r = room.ErrKicked
	case strings.Contains(strings.ToLower(string(reason)), "room deleted"), strings.Contains(strings.ToLower(string(reason)), "room closed"):
		r = room.ErrEnded
	}
	s.events.Emit(room.StateEvent{State: room.Failed, Err: room.Fail(r, nil, "%s", reason), Unsent: s.chatOut.close()})
	go s.shutdown()
}

func (s *session) Events() <-chan room.Event { return s.events.C() }

func (s *session) Self() room.Participant { return s.self }

func (s *session) SetMuted(kind room.Kind, muted bool) error {
	if !s.setMuted(kind, muted) {
		return fmt.Errorf("no %s track to mute", kind)
	}
	return nil
}

func (s *session) setMuted(kind room.Kind, muted bool) bool {
	pub := s.pubs[kind]
	if pub == nil {
		return false
	}
	if l := s.opts.Local; l != nil {
		if kind == room.Audio {
			l.SetAudioMuted(muted)
		} else {
			l.SetVideoMuted(muted)
		}
	}
	pub.SetMuted(muted)
	return true
}

func (s *session) Leave() error {
	s.mu.Lock()
	if s.left {
		s.mu.Unlock()
		return nil
	}
	s.left = true
	s.mu.Unlock()
	s.events.Emit(room.StateEvent{State: room.Left})
	s.shutdown()
	return nil
}

// shutdown disconnects, waits for every receiving goroutine and closes the
// event stream, once.
func (s *session) shutdown() {
	s.stopOnce.Do(func() {
		if s.lk != nil {
			s.lk.Disconnect()
		}
		if ls := s.layers.Swap(nil); ls != nil {
			ls.Stop()
		}
		s.cancel()
		s.wg.Wait()
		s.events.Close()
	})
}

// classify turns the SDK's connection errors into room reasons.
func classify(err error) error {
	msg := strings.ToLower(err.Error())
	switch {
	case strings.Contains(msg, "401"), strings.Contains(msg, "unauthorized"), strings.Contains(msg, "invalid token"),
		strings.Contains(msg, "token is expired"), strings.Contains(msg, "signature"):
		return room.Fail(room.ErrUnauthorized, err, "")
	case strings.Contains(msg, "connection refused"), strings.Contains(msg, "no such host"), strings.Contains(msg, "network is unreachable"),
		strings.Contains(msg, "i/o timeout"), strings.Contains(msg, "connect: "):
		return room.Fail(room.ErrUnreachable, err, "")
	case strings.Contains(msg, "404"), strings.Contains(msg, "bad handshake"), strings.Contains(msg, "malformed http"),
		strings.Contains(msg, "unexpected eof"), strings.Contains(msg, "400"), strings.Contains(msg, "405"):
		return room.Fail(room.ErrNotARoom, err, "")
	case strings.Contains(msg, "certificate"), strings.Contains(msg, "x509"), strings.Contains(msg, "tls"):
		return room.Fail(room.ErrCertificate, err, "")
	case errors.Is(err, lksdk.ErrConnectionTimeout):
		return room.Fail(room.ErrMedia, err, "")
	}
	return room.Fail(room.ErrUnreachable, err, "")
}
