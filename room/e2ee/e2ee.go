// Package e2ee is end-to-end encryption of media frames in LiveKit's frame
// format, so that Kaigi and browsers on livekit-client share one encrypted
// room while the server forwards what it cannot read.
//
// The format is livekit-client 2.23's (src/e2ee/worker/FrameCryptor.ts,
// src/e2ee/utils.ts, src/e2ee/constants.ts); see FORMAT.md beside this
// file. An encoded frame (a whole VP8 picture, or one Opus packet) becomes
//
//	clear header | AES-GCM ciphertext and 16-byte tag | IV (12) | 12 | key index
//
// where the clear header is the codec's first bytes (VP8: 10 on keyframes,
// 3 otherwise; Opus: 1), left readable for the server and authenticated as
// additional data. Keys come from a passphrase (PBKDF2-SHA256) or from
// random bytes (HKDF-SHA256) and are AES-128.
package e2ee

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
)

// Constants of the format (livekit-client src/e2ee/constants.ts and
// utils.ts).
const (
	Salt        = "LKFrameEncryptionKey" // PBKDF2 and HKDF salt, and the ratchet salt
	Iterations  = 100000                 // PBKDF2 iterations
	KeySize     = 16                     // AES-128
	IVSize      = 12
	tagSize     = 16
	trailerSize = 2 // IV length, key index
	// Overhead is what encryption adds to a frame.
	Overhead = tagSize + IVSize + trailerSize
	// hkdfInfoSize: livekit-client passes new ArrayBuffer(128) as HKDF info.
	hkdfInfoSize = 128
)

// Codec says how many bytes of a frame stay in clear.
type Codec int

const (
	VP8 Codec = iota
	Opus
)

func (c Codec) String() string {
	if c == Opus {
		return "opus"
	}
	return "vp8"
}

// ClearBytes is how many leading bytes of frame stay unencrypted: a VP8
// keyframe (the P bit of the frame tag is 0) keeps its 10-byte frame tag
// and start code and size, a VP8 interframe its 3-byte frame tag, an Opus
// packet its TOC byte. Never more than the frame holds.
func ClearBytes(c Codec, frame []byte) int {
	n := 1
	if c == VP8 {
		n = 3
		if len(frame) > 0 && frame[0]&1 == 0 {
			n = 10
		}
	}
	return min(n, len(frame))
}

// Errors of Decrypt. Test with errors.Is.
var (
	ErrMalformed  = errors.New("e2ee: not an encrypted frame")
	ErrMissingKey = errors.New("e2ee: no key at the frame's key index")
	ErrDecrypt    = errors.New("e2ee: frame does not decrypt with our key") // wrong passphrase, or not encrypted
)

// Material is what keys are derived from, as livekit-client keeps it in a
// CryptoKey: a passphrase (for PBKDF2) or random bytes (for HKDF).
type Material struct {
	secret []byte
	hkdf   bool
}

// Passphrase is the material of a passphrase (a LiveKit Meet link's
// fragment): ExternalE2EEKeyProvider.setKey(string).
func Passphrase(p string) Material { return Material{secret: []byte(p)} }

// Secret is the material of random bytes:
// ExternalE2EEKeyProvider.setKey(ArrayBuffer).
func Secret(b []byte) Material { return Material{secret: append([]byte(nil), b...), hkdf: true} }

// NewSecret makes 32 random bytes, as createE2EEKey does.
func NewSecret() []byte {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return b
}

// derive is deriveBits/deriveKey of utils.ts with the library's salt.
func (m Material) derive(n int) []byte {
	if m.hkdf {
		k, err := hkdf.Key(sha256.New, m.secret, []byte(Salt), string(make([]byte, hkdfInfoSize)), n)
		if err != nil {
			panic(err) // n is 16 or 32: within HKDF's limits
		}
		return k
	}
	k, err := pbkdf2.Key(sha256.New, string(m.secret), []byte(Salt), Iterations, n)
	if err != nil {
		panic(err) // only for FIPS-forbidden sizes
	}
	return k
}

// Key is the AES-128 key of the material (deriveKeys in utils.ts).
func (m Material) Key() []byte { return m.derive(KeySize) }

// Ratchet is the next material of the chain (ratchet in utils.ts, then
// importKey with the same algorithm): 256 bits derived from this material.
func (m Material) Ratchet() Material { return Material{secret: m.derive(32), hkdf: m.hkdf} }

// keySet is one slot of the key ring.
type keySet struct {
	material Material
	aead     cipher.AEAD
}

func newKeySet(m Material) (*keySet, error) {
	block, err := aes.NewCipher(m.Key())
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &keySet{material: m, aead: aead}, nil
}

// Cryptor encrypts and decrypts frames with a ring of keys shared by
// everyone in the room (livekit-client's shared-key mode, which is what a
// passphrase gives). It is safe for concurrent use; the send counters of
// the IVs belong to each Sender.
type Cryptor struct {
	mu      sync.RWMutex
	ring    [256]*keySet
	current byte
	sif     []byte // the server's trailer on frames it injects
}

// New makes a Cryptor with m at key index 0. Deriving a passphrase's key
// takes PBKDF2's 100000 rounds (tens of milliseconds).
func New(m Material) (*Cryptor, error) {
	c := &Cryptor{}
	if err := c.SetKey(0, m); err != nil {
		return nil, err
	}
	return c, nil
}

// SetKey puts m at index and makes it the key we encrypt with.
func (c *Cryptor) SetKey(index byte, m Material) error {
	ks, err := newKeySet(m)
	if err != nil {
		return fmt.Errorf("e2ee: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ring[index] = ks
	c.current = index
	return nil
}

// RatchetKey replaces the current key by its ratchet and returns the new
// material (livekit-client's ratchetKey on a key index).
func (c *Cryptor) RatchetKey() (Material, error) {
	c.mu.RLock()
	index, ks := c.current, c.ring[c.current]
	c.mu.RUnlock()
	next := ks.material.Ratchet()
	return next, c.SetKey(index, next)
}

// SetSIFTrailer sets the trailer the server puts on frames it injects
// itself (the SDK's Room.SifTrailer): such frames are not encrypted.
func (c *Cryptor) SetSIFTrailer(t []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sif = append([]byte(nil), t...)
}

// Sender encrypts the frames of one stream (one SSRC): it owns the send
// counter that makes every IV unique. Not safe for concurrent use.
type Sender struct {
	c     *Cryptor
	codec Codec
	count uint32
	init  bool
}

// Sender makes the encrypting side of one stream.
func (c *Cryptor) Sender(codec Codec) *Sender { return &Sender{c: c, codec: codec} }

// makeIV builds the IV as makeIV in FrameCryptor.ts: SSRC, RTP timestamp,
// and the timestamp minus a send counter that starts at a random value
// below 0xffff, all big-endian 32-bit.
func (s *Sender) makeIV(iv []byte, ssrc, ts uint32) {
	if !s.init {
		var b [2]byte
		_, _ = rand.Read(b[:])
		s.count = uint32(binary.BigEndian.Uint16(b[:])) % 0xffff
		s.init = true
	}
	binary.BigEndian.PutUint32(iv[0:], ssrc)
	binary.BigEndian.PutUint32(iv[4:], ts)
	binary.BigEndian.PutUint32(iv[8:], ts-s.count%0xffff)
	s.count++
}

// Encrypt appends the encrypted form of frame to dst and returns it. ssrc
// and ts are the stream's SSRC and the frame's RTP timestamp (they only
// make the IV unique). An empty frame stays empty, as in livekit-client.
func (s *Sender) Encrypt(dst, frame []byte, ssrc, ts uint32) []byte {
	if len(frame) == 0 {
		return dst
	}
	s.c.mu.RLock()
	index, ks := s.c.current, s.c.ring[s.c.current]
	s.c.mu.RUnlock()
	clear := ClearBytes(s.codec, frame)
	var iv [IVSize]byte
	s.makeIV(iv[:], ssrc, ts)
	dst = append(dst, frame[:clear]...)
	dst = ks.aead.Seal(dst, iv[:], frame[clear:], frame[:clear])
	dst = append(dst, iv[:]...)
	return append(dst, IVSize, index)
}

// Decrypt appends the clear frame of an encrypted one to dst. A frame the
// server injected (it ends with the SIF trailer) comes back as nil without
// an error: livekit-client does not show those either (we cannot tell
// them from ours). An empty frame is passed through.
func (c *Cryptor) Decrypt(dst []byte, codec Codec, frame []byte) ([]byte, error) {
	if len(frame) == 0 {
		return dst, nil
	}
	c.mu.RLock()
	sif := c.sif
	c.mu.RUnlock()
	if len(sif) > 0 && len(frame) >= len(sif) && string(frame[len(frame)-len(sif):]) == string(sif) {
		return nil, nil
	}
	clear := ClearBytes(codec, frame)
	n := len(frame)
	if n < clear+trailerSize {
		return nil, ErrMalformed
	}
	ivLen, index := int(frame[n-2]), frame[n-1]
	if ivLen != IVSize || n < clear+tagSize+ivLen+trailerSize {
		return nil, ErrMalformed
	}
	c.mu.RLock()
	ks := c.ring[index]
	c.mu.RUnlock()
	if ks == nil {
		return nil, ErrMissingKey
	}
	iv := frame[n-trailerSize-ivLen : n-trailerSize]
	start := len(dst)
	dst = append(dst, frame[:clear]...)
	out, err := ks.aead.Open(dst, iv, frame[clear:n-trailerSize-ivLen], frame[:clear])
	if err != nil {
		return dst[:start], ErrDecrypt
	}
	return out, nil
}
