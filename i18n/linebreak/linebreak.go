// Package linebreak decides where a line of text may end, for text that
// mixes Japanese, Chinese and languages written with spaces, and wraps text
// to a width with those rules.
//
// Lines break at spaces, and between ideographs, kana and CJK punctuation,
// but following the basic kinsoku rules of Japanese (JIS X 4051) and
// Chinese: closing brackets, 、。，．・：；？！, small kana, the prolonged
// sound mark and iteration marks never start a line, opening brackets never
// end one. A word written without spaces (Latin letters, digits) is broken
// only when it is wider than a whole line.
package linebreak

import (
	"strings"
	"unicode"
)

// noStart are characters a line must not start with.
var noStart = set(")]}»›" + ",.:;!?%" + "’”" + "‐–—…‥" +
	"、。，．・：；？！‼⁇⁈⁉" + "）］｝〕〉》」』】〙〗〟｠" +
	"ヽヾゝゞ々〻ー゠" +
	"ぁぃぅぇぉっゃゅょゎゕゖ" + "ァィゥェォッャュョヮヵヶ" + "ㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ" +
	"ｧｨｩｪｫｯｬｭｮｰ｡､｣･" + "％")

// noEnd are characters a line must not end with.
var noEnd = set("([{«‹" + "‘“" + "（［｛〔〈《「『【〘〖〝｟" + "｢")

func set(s string) map[rune]bool {
	m := map[rune]bool{}
	for _, r := range s {
		m[r] = true
	}
	return m
}

// ideographic says whether r is written without spaces around it: a line
// may break on either side of it (kinsoku permitting).
func ideographic(r rune) bool {
	switch {
	case unicode.Is(unicode.Han, r), unicode.Is(unicode.Hiragana, r), unicode.Is(unicode.Katakana, r),
		unicode.Is(unicode.Hangul, r):
		return true
	case r >= 0x3000 && r <= 0x303f: // CJK symbols and punctuation
		return true
	case r >= 0xff01 && r <= 0xffef: // full-width and half-width forms
		return true
	}
	return false
}

// Allowed reports whether a line may break between text[i-1] and text[i].
// Spaces before the break stay on the line (and are not drawn), so a break
// after spaces is allowed before the next word.
func Allowed(text []rune, i int) bool {
	if i <= 0 || i >= len(text) {
		return false
	}
	a, b := text[i-1], text[i]
	if unicode.IsSpace(b) || noStart[b] || noEnd[a] {
		return false
	}
	if unicode.IsSpace(a) {
		return true
	}
	return ideographic(a) || ideographic(b)
}

// Wrap breaks text into lines no wider than max, as width measures them,
// breaking only where Allowed says so; the text's own newlines are kept.
// Spaces at a break are dropped. A piece with no allowed break that is
// wider than max is cut where it must, still keeping kinsoku where the
// line has room to.
func Wrap(text string, max float32, width func(string) float32) []string {
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		lines = append(lines, wrapParagraph([]rune(para), max, width)...)
	}
	return lines
}

func wrapParagraph(text []rune, max float32, width func(string) float32) []string {
	var lines []string
	for len(text) > 0 {
		fits := func(end int) bool {
			return width(strings.TrimRightFunc(string(text[:end]), unicode.IsSpace)) <= max
		}
		if fits(len(text)) {
			return append(lines, strings.TrimRightFunc(string(text), unicode.IsSpace))
		}
		end := 0
		for i := 1; i < len(text); i++ {
			if Allowed(text, i) {
				if !fits(i) {
					break
				}
				end = i
			}
		}
		if end == 0 {
			end = cut(text, fits)
		}
		lines = append(lines, strings.TrimRightFunc(string(text[:end]), unicode.IsSpace))
		text = text[end:]
		for len(text) > 0 && unicode.IsSpace(text[0]) {
			text = text[1:]
		}
	}
	if len(lines) == 0 {
		lines = []string{""}
	}
	return lines
}

// cut finds where to cut a piece that has no allowed break within max: the
// most that fits, less a character if that keeps kinsoku, and at least one.
func cut(text []rune, fits func(int) bool) int {
	end := 1
	for end < len(text) && fits(end+1) {
		end++
	}
	for e := end; e > 1; e-- {
		if !noStart[text[e]] && !noEnd[text[e-1]] {
			return e
		}
	}
	return end
}
