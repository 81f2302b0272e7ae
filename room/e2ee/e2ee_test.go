package e2ee

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Keys are slow to derive (PBKDF2): each passphrase once per test run.
var cryptors sync.Map

func cryptor(t testing.TB, passphrase string) *Cryptor {
	t.Helper()
	if c, ok := cryptors.Load(passphrase); ok {
		// A fresh ring with the same derived key set.
		c0 := c.(*Cryptor)
		c1 := &Cryptor{}
		c1.ring[0], c1.current = c0.ring[0], 0
		return c1
	}
	c, err := New(Passphrase(passphrase))
	if err != nil {
		t.Fatal(err)
	}
	cryptors.Store(passphrase, c)
	return cryptor(t, passphrase)
}

var (
	vp8Key   = append([]byte{0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01}, bytes.Repeat([]byte{0xab}, 500)...)
	vp8Delta = append([]byte{0x31, 0x12, 0x00}, bytes.Repeat([]byte{0xcd}, 120)...)
	opusPkt  = append([]byte{0x78}, bytes.Repeat([]byte{0x42}, 60)...)
)

func TestClearBytes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		codec Codec
		frame []byte
		want  int
	}{
		{"vp8 keyframe", VP8, vp8Key, 10},
		{"vp8 interframe", VP8, vp8Delta, 3},
		{"vp8 short keyframe", VP8, []byte{0x10, 1, 2}, 3},
		{"vp8 empty", VP8, nil, 0},
		{"opus", Opus, opusPkt, 1},
		{"opus empty", Opus, nil, 0},
	} {
		if got := ClearBytes(tc.codec, tc.frame); got != tc.want {
			t.Errorf("%s: ClearBytes = %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	c := cryptor(t, "correct horse")
	for _, tc := range []struct {
		name  string
		codec Codec
		frame []byte
	}{
		{"vp8 keyframe", VP8, vp8Key},
		{"vp8 interframe", VP8, vp8Delta},
		{"vp8 header only", VP8, vp8Delta[:3]},
		{"opus", Opus, opusPkt},
		{"opus toc only", Opus, opusPkt[:1]},
	} {
		s := c.Sender(tc.codec)
		enc := s.Encrypt(nil, tc.frame, 0x11223344, 90000)
		clear := ClearBytes(tc.codec, tc.frame)
		if len(enc) != len(tc.frame)+Overhead {
			t.Errorf("%s: %d bytes encrypted, want %d", tc.name, len(enc), len(tc.frame)+Overhead)
		}
		if !bytes.Equal(enc[:clear], tc.frame[:clear]) {
			t.Errorf("%s: the clear header changed", tc.name)
		}
		if len(tc.frame) > clear+4 && bytes.Contains(enc, tc.frame[clear:clear+4]) && tc.frame[clear] != tc.frame[clear+1] {
			t.Errorf("%s: the body is readable", tc.name)
		}
		if tail := enc[len(enc)-2:]; tail[0] != IVSize || tail[1] != 0 {
			t.Errorf("%s: trailer %x, want 0c00", tc.name, tail)
		}
		iv := enc[len(enc)-2-IVSize : len(enc)-2]
		if binary.BigEndian.Uint32(iv) != 0x11223344 || binary.BigEndian.Uint32(iv[4:]) != 90000 {
			t.Errorf("%s: IV %x does not start with SSRC and timestamp", tc.name, iv)
		}
		got, err := c.Decrypt(nil, tc.codec, enc)
		if err != nil || !bytes.Equal(got, tc.frame) {
			t.Errorf("%s: Decrypt = %x, %v", tc.name, got, err)
		}
	}
}

func TestIVsDiffer(t *testing.T) {
	s := cryptor(t, "correct horse").Sender(Opus)
	seen := map[string]bool{}
	for i := range 1000 {
		enc := s.Encrypt(nil, opusPkt, 7, uint32(i/3)) // timestamps repeat
		iv := string(enc[len(enc)-2-IVSize : len(enc)-2])
		if seen[iv] {
			t.Fatalf("IV repeated at frame %d", i)
		}
		seen[iv] = true
	}
}

func TestDecryptFailures(t *testing.T) {
	c := cryptor(t, "correct horse")
	wrong := cryptor(t, "battery staple")
	enc := c.Sender(VP8).Encrypt(nil, vp8Delta, 1, 2)
	flip := func(i int) []byte {
		b := bytes.Clone(enc)
		b[i] ^= 1
		return b
	}
	index := bytes.Clone(enc)
	index[len(index)-1] = 5
	for _, tc := range []struct {
		name  string
		c     *Cryptor
		frame []byte
		want  error
	}{
		{"wrong passphrase", wrong, enc, ErrDecrypt},
		{"clear header changed", c, flip(1), ErrDecrypt},
		{"ciphertext changed", c, flip(5), ErrDecrypt},
		{"IV changed", c, flip(len(enc) - 4), ErrDecrypt},
		{"unknown key index", c, index, ErrMissingKey},
		{"not encrypted", c, vp8Delta, ErrMalformed},
		{"too short", c, enc[:20], ErrMalformed},
		{"two bytes", c, []byte{1, 2}, ErrMalformed},
	} {
		got, err := tc.c.Decrypt(nil, VP8, tc.frame)
		if !errors.Is(err, tc.want) || len(got) != 0 {
			t.Errorf("%s: Decrypt = %x, %v; want %v", tc.name, got, err, tc.want)
		}
	}
}

func TestServerInjectedFrames(t *testing.T) {
	c := cryptor(t, "correct horse")
	c.SetSIFTrailer([]byte("LKROCKS"))
	got, err := c.Decrypt(nil, Opus, append([]byte{0xf8, 0xff, 0xfe}, "LKROCKS"...))
	if got != nil || err != nil {
		t.Errorf("server-injected frame: %x, %v; want nothing and no error", got, err)
	}
}

func TestRatchet(t *testing.T) {
	m := Passphrase("correct horse")
	r := m.Ratchet()
	// PBKDF2's first block is the key: the AES key of a material is the
	// first half of its ratchet.
	if !bytes.Equal(m.Key(), r.secret[:KeySize]) {
		t.Errorf("key %x is not the start of the ratchet %x", m.Key(), r.secret)
	}
	if bytes.Equal(r.Key(), m.Key()) {
		t.Error("ratcheting kept the key")
	}
	s := Secret(NewSecret())
	if len(s.Key()) != KeySize || bytes.Equal(s.Ratchet().Key(), s.Key()) {
		t.Error("HKDF material does not ratchet")
	}
}

// livekit runs livekit-client's own worker (bench/web's node_modules) on
// a request; see testdata/livekit.mjs.
type lkFrame struct {
	Kind string `json:"kind"`
	Type string `json:"type,omitempty"`
	SSRC uint32 `json:"ssrc"`
	TS   uint32 `json:"ts"`
	Data string `json:"data"`
}

type lkAnswer struct {
	Encrypted []string  `json:"encrypted"`
	Decrypted []*string `json:"decrypted"`
	Ratcheted []string  `json:"ratcheted"`
	Errors    []string  `json:"errors"`
}

func livekit(t *testing.T, req any) lkAnswer {
	t.Helper()
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (make test installs it)", tool)
		}
	}
	web, _ := filepath.Abs("../../bench/web")
	worker := filepath.Join(web, "node_modules/livekit-client/dist/livekit-client.e2ee.worker.mjs")
	if _, err := os.Stat(worker); err != nil {
		cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund")
		cmd.Dir = web
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm ci: %v\n%s", err, out)
		}
	}
	in, _ := json.Marshal(req)
	cmd := exec.Command("node", "testdata/livekit.mjs", worker)
	cmd.Stdin = bytes.NewReader(in)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	var a lkAnswer
	if err := json.Unmarshal(out, &a); err != nil {
		t.Fatalf("node said %s: %v", out, err)
	}
	return a
}

func unhex(t *testing.T, s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestLiveKitClient checks the format both ways against livekit-client
// 2.23.0's worker: frames it encrypts decrypt here, frames we encrypt
// decrypt there, its ratchet is ours, and a wrong passphrase fails on
// both sides.
func TestLiveKitClient(t *testing.T) {
	const pass = "correct horse"
	c := cryptor(t, pass)
	frames := []struct {
		codec Codec
		lk    lkFrame
		data  []byte
	}{
		{VP8, lkFrame{Kind: "video", Type: "key", SSRC: 0xdeadbeef, TS: 3000}, vp8Key},
		{VP8, lkFrame{Kind: "video", Type: "delta", SSRC: 0xdeadbeef, TS: 6000}, vp8Delta},
		{Opus, lkFrame{Kind: "audio", SSRC: 42, TS: 960}, opusPkt},
		{Opus, lkFrame{Kind: "audio", SSRC: 42, TS: 1920}, opusPkt[:1]},
	}
	var toEncrypt, toDecrypt []lkFrame
	senders := map[Codec]*Sender{VP8: c.Sender(VP8), Opus: c.Sender(Opus)}
	wrongs := map[Codec]*Sender{VP8: cryptor(t, "wrong").Sender(VP8), Opus: cryptor(t, "wrong").Sender(Opus)}
	for _, f := range frames {
		in := f.lk
		in.Data = hex.EncodeToString(f.data)
		toEncrypt = append(toEncrypt, in)
		ours := f.lk
		ours.Data = hex.EncodeToString(senders[f.codec].Encrypt(nil, f.data, f.lk.SSRC, f.lk.TS))
		toDecrypt = append(toDecrypt, ours)
	}
	for _, f := range frames {
		bad := f.lk
		bad.Data = hex.EncodeToString(wrongs[f.codec].Encrypt(nil, f.data, f.lk.SSRC, f.lk.TS))
		toDecrypt = append(toDecrypt, bad)
	}
	a := livekit(t, map[string]any{"passphrase": pass, "encrypt": toEncrypt, "decrypt": toDecrypt, "ratchet": true})
	if len(a.Encrypted) != len(frames) || len(a.Decrypted) != 2*len(frames) || len(a.Ratcheted) != len(frames) {
		t.Fatalf("livekit-client answered %+v", a)
	}
	ratcheted := &Cryptor{}
	if err := ratcheted.SetKey(0, Passphrase(pass).Ratchet()); err != nil {
		t.Fatal(err)
	}
	for i, f := range frames {
		theirs := unhex(t, a.Encrypted[i])
		// Their layout: clear header, ciphertext and tag, IV of SSRC,
		// timestamp and timestamp minus a counter, IV length, key index.
		clear := ClearBytes(f.codec, f.data)
		if len(theirs) != len(f.data)+Overhead || !bytes.Equal(theirs[:clear], f.data[:clear]) {
			t.Errorf("frame %d: livekit-client made %x", i, theirs)
		}
		iv := theirs[len(theirs)-2-IVSize:]
		if binary.BigEndian.Uint32(iv) != f.lk.SSRC || binary.BigEndian.Uint32(iv[4:]) != f.lk.TS || iv[IVSize] != IVSize || iv[IVSize+1] != 0 {
			t.Errorf("frame %d: livekit-client's IV and trailer %x", i, iv)
		}
		got, err := c.Decrypt(nil, f.codec, theirs)
		if err != nil || !bytes.Equal(got, f.data) {
			t.Errorf("frame %d: livekit-client's frame decrypts to %x, %v", i, got, err)
		}
		if _, err := cryptor(t, "wrong").Decrypt(nil, f.codec, theirs); !errors.Is(err, ErrDecrypt) {
			t.Errorf("frame %d: a wrong passphrase gave %v", i, err)
		}
		if d := a.Decrypted[i]; d == nil || !bytes.Equal(unhex(t, *d), f.data) {
			t.Errorf("frame %d: livekit-client decrypted ours to %v", i, d)
		}
		if d := a.Decrypted[len(frames)+i]; d != nil {
			t.Errorf("frame %d: livekit-client passed on a frame with the wrong key: %s", i, *d)
		}
		r := unhex(t, a.Ratcheted[i])
		if got, err := ratcheted.Decrypt(nil, f.codec, r); err != nil || !bytes.Equal(got, f.data) {
			t.Errorf("frame %d: livekit-client's ratcheted frame decrypts to %x, %v", i, got, err)
		}
	}
	if len(a.Errors) == 0 {
		t.Error("livekit-client reported no error for the wrong key")
	}
	t.Logf("livekit-client's errors: %q", a.Errors)
}

// FuzzDecrypt: frames from the network never panic the decryptor, and
// only a frame that authenticates comes out.
func FuzzDecrypt(f *testing.F) {
	c := cryptor(f, "correct horse")
	f.Add(c.Sender(VP8).Encrypt(nil, vp8Key, 1, 2), false)
	f.Add(c.Sender(Opus).Encrypt(nil, opusPkt, 1, 2), true)
	f.Add([]byte{0, 12, 0}, false)
	f.Fuzz(func(t *testing.T, frame []byte, opus bool) {
		codec := VP8
		if opus {
			codec = Opus
		}
		got, err := c.Decrypt(nil, codec, frame)
		if err == nil && len(frame) > 0 && len(got) != len(frame)-Overhead {
			t.Errorf("%d bytes decrypted from %d", len(got), len(frame))
		}
	})
}
