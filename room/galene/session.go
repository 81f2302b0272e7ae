package galene

import (
	"encoding/json"
	"fmt"
	"strings"

	"kaigi/room"
	"kaigi/room/wire"
)

func (s *session) Events() <-chan room.Event { return s.events.C() }

func (s *session) Self() room.Participant { return s.self }

func (s *session) SetMuted(kind room.Kind, muted bool) error {
	if s.opts.Local == nil {
		return fmt.Errorf("no %s to mute", kind)
	}
	s.mu.Lock()
	s.muted[kind] = muted
	s.mu.Unlock()
	return s.applyMute()
}

// applyMute silences our media and tells the others through our user data.
func (s *session) applyMute() error {
	s.mu.Lock()
	a, v := s.muted[room.Audio], s.muted[room.Video]
	s.mu.Unlock()
	if l := s.opts.Local; l != nil {
		l.SetAudioMuted(a)
		l.SetVideoMuted(v)
	}
	data, _ := json.Marshal(map[string]bool{dataAudioMuted: a, dataVideoMuted: v})
	return s.write(wire.Message{Type: "useraction", Kind: "setdata", Dest: s.id, Value: data})
}

func (s *session) SendChat(t string) error {
	t = strings.TrimSpace(t)
	if t == "" {
		return nil
	}
	if s.queueChat(t) {
		return nil
	}
	if err := s.writeChat(t); err != nil {
		return room.Fail(room.ErrDisconnected, err, "chat not sent")
	}
	return nil
}

// writeChat sends one chat line of ours to everyone.
func (s *session) writeChat(t string) error {
	name := s.self.Name
	v, _ := json.Marshal(t)
	return s.write(wire.Message{Type: "chat", Source: s.id, Username: &name, Value: v})
}

func (s *session) Leave() error {
	s.mu.Lock()
	left := s.left
	s.left = true
	s.mu.Unlock()
	if !left {
		name := s.self.Name
		_ = s.write(wire.Message{Type: "join", Kind: "leave", Group: s.group, Username: &name})
		s.events.Emit(room.StateEvent{State: room.Left})
	}
	s.shutdown()
	return nil
}

// shutdown closes every PeerConnection and the socket, waits for every
// goroutine and closes the event stream, once.
func (s *session) shutdown() {
	s.stopOnce.Do(func() {
		s.cancel()
		if ls := s.layers.Swap(nil); ls != nil {
			ls.Stop()
		}
		s.mu.Lock()
		up, down, share := s.up, s.down, s.share
		s.up, s.down, s.share = nil, map[string]*stream{}, nil
		s.mu.Unlock()
		if up != nil {
			_ = up.pc.Close()
		}
		if share != nil {
			_ = share.st.pc.Close()
		}
		for _, st := range down {
			_ = st.pc.Close()
		}
		s.closeSocket()
		s.wg.Wait()
		s.events.Close()
	})
}
