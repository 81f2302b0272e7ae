package linebreak

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"unicode"
)

func TestAllowed(t *testing.T) {
	for _, tt := range []struct {
		text string
		i    int // break before text[i] (in runes)
		want bool
	}{
		{"会議", 1, true},
		{"かいぎ", 1, true},
		{"会議、です", 2, false}, // 、 never starts a line
		{"会議。です", 3, true},  // after it, fine
		{"開始，結束", 2, false}, // full-width comma
		{"ちょっと", 2, false},  // small kana
		{"チャット", 2, false},
		{"ビデオ", 1, true},
		{"ルーム", 1, false}, // prolonged sound mark
		{"人々", 1, false},  // iteration mark
		{"…。", 1, false},
		{"「会議」", 1, false}, // opening bracket never ends a line
		{"「会議」", 3, false}, // closing never starts one
		{"「会議」に", 4, true},
		{"（{{.Count}}）", 1, false},
		{"チャット（3）", 4, true},
		{"Hello world", 6, true},  // after a space
		{"Hello world", 5, false}, // the space stays on the line
		{"Hello", 2, false},       // inside a word
		{"Kaigiは", 5, true},       // Latin then kana
		{"は Kaigi", 2, true},
		{"Kaigi。", 5, false},
		{"(会議", 1, false},
		{"v1.2", 2, false},
		{"한국어", 1, true},
		{"x", 0, false},
		{"x", 1, false},
	} {
		r := []rune(tt.text)
		if got := Allowed(r, tt.i); got != tt.want {
			t.Errorf("Allowed(%q, %d) = %v, want %v", tt.text, tt.i, got, tt.want)
		}
	}
}

// cells measures as a terminal would: full-width characters 2, others 1.
func cells(s string) float32 {
	n := float32(0)
	for _, r := range s {
		if ideographic(r) {
			n += 2
		} else {
			n++
		}
	}
	return n
}

func TestWrap(t *testing.T) {
	for _, tt := range []struct {
		text string
		max  float32
		want []string
	}{
		{"会議に参加する", 100, []string{"会議に参加する"}},
		{"会議に参加する", 8, []string{"会議に参", "加する"}},
		{"Hello big world", 9, []string{"Hello big", "world"}},
		{"Hello  world", 5, []string{"Hello", "world"}},
		{"「会議」です", 8, []string{"「会議」", "です"}},
		{"abcdefgh", 3, []string{"abc", "def", "gh"}},
		{"line1\nline2", 10, []string{"line1", "line2"}},
		{"", 10, []string{""}},
		{"Kaigiで会議", 7, []string{"Kaigiで", "会議"}},
	} {
		got := Wrap(tt.text, tt.max, cells)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("Wrap(%q, %v) = %q, want %q", tt.text, tt.max, got, tt.want)
		}
	}
	// 会議、参加 at 4 cells: 会議 fits but 、 may not start the next line,
	// so 議 goes down with it.
	got := Wrap("会議、参加", 4, cells)
	if strings.Join(got, "|") != "会|議、|参加" {
		t.Errorf("kinsoku push-out: got %q", got)
	}
}

// TestWrapCatalogs wraps every Japanese and Chinese string at several
// widths and checks each line against the rules.
func TestWrapCatalogs(t *testing.T) {
	for _, file := range []string{"../ja.json", "../zh_TW.json"} {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var cat map[string]any
		if err := json.Unmarshal(raw, &cat); err != nil {
			t.Fatal(err)
		}
		breaks := 0
		for key, text := range texts(cat, "") {
			for _, max := range []float32{6, 9, 12, 17, 24, 33} {
				lines := Wrap(text, max, cells)
				breaks += len(lines) - 1
				check(t, file+" "+key, text, lines, max)
			}
		}
		if breaks < 500 {
			t.Errorf("%s: only %d line breaks made: widths too large to test anything", file, breaks)
		}
	}
}

// texts flattens a catalog (plural forms are objects) into key → text.
func texts(v any, key string) map[string]string {
	out := map[string]string{}
	switch v := v.(type) {
	case string:
		out[key] = v
	case map[string]any:
		for k, x := range v {
			for kk, s := range texts(x, key+"."+k) {
				out[kk] = s
			}
		}
	}
	return out
}

func check(t *testing.T, where, text string, lines []string, max float32) {
	t.Helper()
	joined := strings.Join(lines, "")
	if strip(joined) != strip(text) {
		t.Errorf("%s at %v: lines %q lose text of %q", where, max, lines, text)
	}
	for i, l := range lines {
		r := []rune(l)
		if len(r) == 0 {
			continue
		}
		if i > 0 && noStart[r[0]] {
			t.Errorf("%s at %v: line %q starts with %q", where, max, l, r[0])
		}
		if i < len(lines)-1 && noEnd[r[len(r)-1]] {
			t.Errorf("%s at %v: line %q ends with %q", where, max, l, r[len(r)-1])
		}
		if cells(l) > max && len(r) > 1 {
			t.Errorf("%s at %v: line %q is wider than the width", where, max, l)
		}
	}
}

func strip(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func FuzzWrap(f *testing.F) {
	f.Add("会議、参加「です」。Hello world", float32(5))
	f.Fuzz(func(t *testing.T, text string, max float32) {
		if max < 4 || max > 1000 || strings.ContainsAny(text, "\n\r") || !utf8Valid(text) {
			return
		}
		lines := Wrap(text, max, cells)
		if strip(strings.Join(lines, "")) != strip(text) {
			t.Fatalf("text lost: %q -> %q", text, lines)
		}
	})
}

func utf8Valid(s string) bool { return !strings.ContainsRune(s, unicode.ReplacementChar) }
