package galene

import (
	"errors"

	"kaigi/room"
	"kaigi/room/wire"
)

// Disable closes sess's camera up stream (picture and sound) the way
// Galène's own web client does when Disable is pressed: "close" for the
// stream, then its PeerConnection closed. Kaigi's own buttons mute
// instead.
func Disable(sess room.Session) error {
	s, ok := sess.(*session)
	if !ok {
		return errors.New("not a Galène-protocol session")
	}
	s.mu.Lock()
	up := s.up
	s.up = nil
	s.mu.Unlock()
	if up == nil {
		return errors.New("no camera stream")
	}
	if err := s.write(wire.Message{Type: "close", ID: up.id}); err != nil {
		return err
	}
	return up.pc.Close()
}
