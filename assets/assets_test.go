package assets

import (
	"bytes"
	"runtime"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/go-text/typesetting/font"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// chars decodes every two-byte code of an encoding's rows and columns.
func chars(enc encoding.Encoding, rows, cols [][2]byte) []rune {
	var out []rune
	d := enc.NewDecoder()
	for _, r := range rows {
		for hi := int(r[0]); hi <= int(r[1]); hi++ {
			for _, c := range cols {
				for lo := int(c[0]); lo <= int(c[1]); lo++ {
					b, err := d.Bytes([]byte{byte(hi), byte(lo)})
					if err != nil || utf8.RuneCount(b) != 1 {
						continue
					}
					if r, _ := utf8.DecodeRune(b); r != utf8.RuneError && r >= 0x80 {
						out = append(out, r)
					}
				}
			}
		}
	}
	return out
}

// TestCoverage checks that every bundled face draws every character of the
// sets promised for names and chat, in both weights and both forms.
func TestCoverage(t *testing.T) {
	sets := map[string][]rune{
		"JIS X 0208 kanji": chars(japanese.EUCJP, [][2]byte{{0xb0, 0xf4}}, [][2]byte{{0xa1, 0xfe}}),
		"kana":             chars(japanese.EUCJP, [][2]byte{{0xa4, 0xa5}}, [][2]byte{{0xa1, 0xfe}}),
		"Big5 level 1": append(chars(traditionalchinese.Big5, [][2]byte{{0xa4, 0xc5}}, [][2]byte{{0x40, 0x7e}, {0xa1, 0xfe}}),
			chars(traditionalchinese.Big5, [][2]byte{{0xc6, 0xc6}}, [][2]byte{{0x40, 0x7e}})...), // A440-C67E
		"GB2312 hanzi": chars(simplifiedchinese.GBK, [][2]byte{{0xb0, 0xf7}}, [][2]byte{{0xa1, 0xfe}}),
		"spaces":       []rune(" \u00a0\u3000"),
	}
	for _, forms := range []Forms{Japanese, TraditionalChinese} {
		for _, bold := range []bool{false, true} {
			b, err := Font(forms, bold)
			if err != nil {
				t.Fatal(err)
			}
			face, err := font.ParseTTF(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("%s: %v", FontName(forms, bold), err)
			}
			for name, set := range sets {
				var missing []rune
				for _, r := range set {
					if _, ok := face.NominalGlyph(r); !ok && !unicode.IsControl(r) {
						missing = append(missing, r)
					}
				}
				if len(set) < 3 || len(missing) > 0 {
					t.Errorf("%s: %s: %d characters, missing %q", FontName(forms, bold), name, len(set), string(missing))
				}
			}
		}
	}
}

// TestUnpackAllocates: unpacking a face allocates about the face, not a
// copy of the packed file and a buffer that doubles as it fills (2.7
// times the face before).
func TestUnpackAllocates(t *testing.T) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b, err := unpack(FontName(Japanese, false))
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; float64(got) > 1.2*float64(len(b)) {
		t.Errorf("unpacking a face of %d bytes allocated %d", len(b), got)
	}
}
