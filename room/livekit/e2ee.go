package livekit

import (
	"fmt"

	"github.com/livekit/protocol/livekit"
	lksdk "github.com/livekit/server-sdk-go/v2"
	"github.com/pion/webrtc/v4"

	"kaigi/room"
	"kaigi/room/e2ee"
)

// End-to-end encryption as livekit-client does it with a passphrase (an
// ExternalE2EEKeyProvider: one key shared by everyone, at index 0): our
// frames are encrypted before they are put in RTP, and the tracks are
// published as GCM-encrypted so that browsers decrypt them; every remote
// track published as encrypted is decrypted before it is decoded. Chat
// and data go through the server in clear, as livekit-client's "e2ee"
// room option sends them.

// newCryptor derives the room's key from the passphrase (nil: none).
func newCryptor(passphrase string) (*e2ee.Cryptor, error) {
	if passphrase == "" {
		return nil, nil
	}
	c, err := e2ee.New(e2ee.Passphrase(passphrase))
	if err != nil {
		return nil, fmt.Errorf("end-to-end encryption: %w", err)
	}
	return c, nil
}

// encrypted wraps a track we publish, when the room is encrypted, and says
// how to announce it.
func (s *session) encrypted(t webrtc.TrackLocal) (webrtc.TrackLocal, livekit.Encryption_Type, error) {
	if s.crypt == nil {
		return t, livekit.Encryption_NONE, nil
	}
	et, err := e2ee.EncryptTrack(t, s.crypt)
	if err != nil {
		return nil, 0, err
	}
	return et, livekit.Encryption_GCM, nil
}

// decrypted is what a remote track's receiver reads: the track itself
// when it is not encrypted, a decrypting track when it is, nil when it is
// encrypted and we cannot decrypt it (it is then reported).
func (s *session) decrypted(track *webrtc.TrackRemote, pub *lksdk.RemoteTrackPublication, id string) room.RemoteTrack {
	info := pub.TrackInfo()
	if info == nil || info.Encryption == livekit.Encryption_NONE {
		return track
	}
	kind := kindOf(pub.Kind())
	report := func(err error) {
		var e error
		if err != nil {
			e = room.Fail(room.ErrUndecryptable, err, "")
		}
		s.events.Emit(room.Undecryptable{ParticipantID: id, Kind: kind, Err: e})
	}
	if s.crypt == nil {
		report(e2ee.ErrNoKey)
		return nil
	}
	d, err := e2ee.NewDecryptTrack(track, s.crypt, report)
	if err != nil {
		report(err)
		return nil
	}
	return d
}
