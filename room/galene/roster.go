package galene

import (
	"kaigi/room"
	"kaigi/room/wire"
)

func (s *session) handleUser(m wire.Message) {
	if m.ID == "" || m.ID == s.id {
		return
	}
	name := ""
	if m.Username != nil {
		name = *m.Username
	}
	switch m.Kind {
	case "add":
		s.mu.Lock()
		_, known := s.users[m.ID]
		s.users[m.ID] = name
		delete(s.absent, m.ID)
		s.mu.Unlock()
		if !known {
			s.events.Emit(room.ParticipantJoined{Participant: room.Participant{ID: m.ID, Name: name}})
		}
		s.emitMutes(m)
		s.userChanged(m)
	case "change":
		s.mu.Lock()
		old, known := s.users[m.ID]
		s.users[m.ID] = name
		s.mu.Unlock()
		if !known {
			s.events.Emit(room.ParticipantJoined{Participant: room.Participant{ID: m.ID, Name: name}})
		} else if old != name && name != "" {
			s.events.Emit(room.ParticipantRenamed{ID: m.ID, Name: name})
		}
		s.emitMutes(m)
		s.userChanged(m)
	case "delete":
		s.mu.Lock()
		_, known := s.users[m.ID]
		delete(s.users, m.ID)
		delete(s.othersMuted, m.ID)
		s.forget(m.ID)
		s.mu.Unlock()
		if known {
			s.events.Emit(room.ParticipantLeft{ID: m.ID})
		}
	}
}

// Mute state travels in user data, as Galène clients share their status.
const (
	dataAudioMuted = "kaigi.audioMuted"
	dataVideoMuted = "kaigi.videoMuted"
)

func (s *session) emitMutes(m wire.Message) {
	for key, kind := range map[string]room.Kind{dataAudioMuted: room.Audio, dataVideoMuted: room.Video} {
		if v, ok := m.Data[key].(bool); ok {
			s.mu.Lock()
			if s.othersMuted[m.ID] == nil {
				s.othersMuted[m.ID] = map[room.Kind]bool{}
			}
			s.othersMuted[m.ID][kind] = v
			s.mu.Unlock()
			s.events.Emit(room.TrackMuted{ParticipantID: m.ID, Kind: kind, Muted: v})
		}
	}
}
