package galene

import (
	"encoding/base64"
	"fmt"

	"github.com/pion/webrtc/v4"

	"kaigi/room"
	"kaigi/room/e2ee"
)

// End-to-end encryption of a meeting Kaigi hosts: the invite link's
// fragment carries a random key (link.Link.Key) that the host's server
// never sees; every participant encrypts its frames with it, in LiveKit's
// frame format (room/e2ee, HKDF key material as livekit-client derives it
// from random bytes), and the host forwards ciphertext. The Galène
// protocol cannot say which streams are encrypted: in an encrypted
// meeting every stream is decrypted, and one that does not decrypt (sent
// without the key, or with another) is reported and never shown.

// newCryptor makes the meeting's cryptor from the link's key (nil: none).
func newCryptor(key string) (*e2ee.Cryptor, error) {
	if key == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(key)
	if err != nil {
		return nil, fmt.Errorf("end-to-end encryption key: %w", err)
	}
	return e2ee.New(e2ee.Secret(b))
}

// encrypted wraps a track we publish when the meeting is encrypted.
func (s *session) encrypted(t webrtc.TrackLocal) (webrtc.TrackLocal, error) {
	if s.crypt == nil {
		return t, nil
	}
	return e2ee.EncryptTrack(t, s.crypt)
}

// decrypted is what a remote track's receiver reads: the track itself in
// a meeting that is not encrypted, a decrypting track in one that is, nil
// when it cannot be decrypted (it is then reported).
func (s *session) decrypted(track *webrtc.TrackRemote, source string, kind room.Kind) room.RemoteTrack {
	if s.crypt == nil {
		return track
	}
	report := func(err error) {
		var e error
		if err != nil {
			e = room.Fail(room.ErrUndecryptable, err, "")
		}
		s.events.Emit(room.Undecryptable{ParticipantID: source, Kind: kind, Err: e})
	}
	d, err := e2ee.NewDecryptTrack(track, s.crypt, report)
	if err != nil {
		report(err)
		return nil
	}
	return d
}
