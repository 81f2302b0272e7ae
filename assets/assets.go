// Package assets holds what ships inside the binary: the icon and the CJK
// fonts (made by scripts/fonts.sh from Noto Sans CJK, OFL licence in
// fonts/OFL.txt), and the desktop files installed beside it.
package assets

import (
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/binary"
	"fmt"
	"io"
	"sync"
)

// Icon is the 512x512 app icon (drawn by scripts/icon).
//
//go:embed icon.png
var Icon []byte

// The CJK fonts ship gzipped (a fifth smaller); a window needs only the
// regular and bold of one glyph form, unpacked when first asked for.
//
//go:embed fonts/*.otf.gz
var fonts embed.FS

// Forms is a region's glyph forms for the ideographs.
type Forms string

const (
	Japanese           Forms = "jp" // Noto Sans CJK JP
	TraditionalChinese Forms = "tc" // Noto Sans CJK TC
)

// FontName is the file name of a bundled CJK face.
func FontName(f Forms, bold bool) string {
	weight := "Regular"
	if bold {
		weight = "Bold"
	}
	return fmt.Sprintf("NotoSansCJK%s-Kaigi-%s.otf", f, weight)
}

// Font returns a bundled CJK face, an OpenType (CFF) font. Every face covers
// the same characters: kana, CJK punctuation and full-width forms, JIS X 0208,
// Big5 level 1, GB2312 and the catalogs' characters, except those Fyne's own
// Noto Sans draws (Latin, Greek, Cyrillic and their punctuation); and the
// spaces.
//
// The bytes are the caller's: the face Prefetch unpacked ahead (waiting for
// it) or a new one. Nothing is kept here, because a parsed font holds
// copies of the tables it uses: an unpacked face (4.8 MB) kept for ever
// would only raise the garbage collector's goal.
func Font(f Forms, bold bool) ([]byte, error) {
	name := FontName(f, bold)
	if _, ok := gzipped[name]; !ok {
		return nil, fmt.Errorf("no font %s", name)
	}
	mu.Lock()
	p := ahead[name]
	delete(ahead, name)
	mu.Unlock()
	if p != nil {
		<-p.done
		return p.b, p.err
	}
	return unpack(name)
}

// Prefetch starts unpacking a face for the next Font call that asks for
// it, so that the faces a window needs unpack side by side while the
// window is built.
func Prefetch(f Forms, bold bool) {
	name := FontName(f, bold)
	if _, ok := gzipped[name]; !ok {
		return
	}
	mu.Lock()
	defer mu.Unlock()
	if ahead[name] != nil {
		return
	}
	p := &unpacked{done: make(chan struct{})}
	ahead[name] = p
	go func() {
		p.b, p.err = unpack(name)
		close(p.done)
	}()
}

// unpacked is a face being unpacked ahead.
type unpacked struct {
	done chan struct{}
	b    []byte
	err  error
}

var (
	gzipped = map[string]bool{}
	mu      sync.Mutex
	ahead   = map[string]*unpacked{}
)

func init() {
	for _, f := range []Forms{Japanese, TraditionalChinese} {
		for _, bold := range []bool{false, true} {
			gzipped[FontName(f, bold)] = true
		}
	}
}

func unpack(name string) ([]byte, error) {
	f, err := fonts.Open("fonts/" + name + ".gz") // read in place: ReadFile would copy it
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Unpacked into one buffer of the face's size (gzip's trailer says
	// it), not one that doubles as it fills: the garbage of a doubling
	// buffer is as large as the face, and a window unpacks two at start.
	b := bytes.NewBuffer(make([]byte, 0, unpackedSize(f.(io.ReadSeeker))+bytes.MinRead))
	r, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("font %s: %w", name, err)
	}
	if _, err := b.ReadFrom(r); err != nil {
		return nil, fmt.Errorf("font %s: %w", name, err)
	}
	return b.Bytes(), nil
}

// unpackedSize is what gzip's trailer says the stream unpacks to (its
// size modulo 4 GiB), or 0 if it cannot be read; r is left at the start.
func unpackedSize(r io.ReadSeeker) int {
	defer r.Seek(0, io.SeekStart)
	if _, err := r.Seek(-4, io.SeekEnd); err != nil {
		return 0
	}
	var size [4]byte
	if _, err := io.ReadFull(r, size[:]); err != nil {
		return 0
	}
	return int(binary.LittleEndian.Uint32(size[:]))
}
