package call

import (
	"testing"

	"kaigi/room"
)

func TestEncryptionState(t *testing.T) {
	m := New(room.Participant{ID: "me", Name: "Me"})
	m.Apply(room.ParticipantJoined{Participant: room.Participant{ID: "ken", Name: "Ken"}})
	fail := room.Fail(room.ErrUndecryptable, nil, "")
	for _, tc := range []struct {
		ev      room.Event
		change  Change
		video   bool
		audio   bool
		encrypt bool
	}{
		{room.Encryption{Media: true}, Connection, false, false, true},
		{room.Undecryptable{ParticipantID: "ken", Kind: room.Video, Err: fail}, Tracks, true, false, true},
		{room.Undecryptable{ParticipantID: "ken", Kind: room.Video, Err: fail}, 0, true, false, true}, // no news
		{room.Undecryptable{ParticipantID: "ken", Kind: room.Audio, Err: fail}, Tracks, true, true, true},
		{room.Undecryptable{ParticipantID: "ken", Kind: room.Video}, Tracks, false, true, true}, // decrypts again
		{room.Undecryptable{ParticipantID: "nobody", Kind: room.Video, Err: fail}, 0, false, true, true},
	} {
		if got := m.Apply(tc.ev); got != tc.change {
			t.Errorf("%+v: change %v, want %v", tc.ev, got, tc.change)
		}
		p := m.Person("ken")
		if p.Undecryptable[room.Video] != tc.video || p.Undecryptable[room.Audio] != tc.audio || m.Encryption.Media != tc.encrypt {
			t.Errorf("after %+v: %+v, %+v", tc.ev, p, m.Encryption)
		}
	}
}
