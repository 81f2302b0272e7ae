package app

import (
	"encoding/json"
	"os"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"kaigi/i18n"
	"kaigi/i18n/linebreak"
	"kaigi/internal/race"
)

// TestWrappedLabelsKeepKinsoku lays out every Japanese and Chinese string
// of the catalogs in a wrapped label at several widths, with the real
// fonts, and reads the rows Fyne draws: none may start with closing
// punctuation or small kana, or end with an opening bracket. Fyne's own
// wrapping of the same strings breaks the rules (the control).
func TestWrappedLabelsKeepKinsoku(t *testing.T) {
	a := newTestApp(t, Options{})
	for _, l := range []i18n.Lang{i18n.Japanese, i18n.TraditionalChinese} {
		ui(func() { a.SetLang(l) })
		raw, err := os.ReadFile("../i18n/" + string(l) + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var cat map[string]any
		if err := json.Unmarshal(raw, &cat); err != nil {
			t.Fatal(err)
		}
		theirs, rows, k := 0, 0, 0
		widths := []float32{90, 130, 170, 230, 310}
		for key, text := range flatten(cat, "") {
			k++
			for i, w := range widths {
				// Under the race detector each string is laid out at one
				// width (a different one from string to string): at every
				// width the test takes minutes there.
				if race.Enabled && k%len(widths) != i {
					continue
				}
				ui(func() {
					wl := a.wrapped(text)
					r := drawnRows(wl, w)
					rows += len(r)
					if n := broken(r); n > 0 {
						t.Errorf("%s %s at %v: rows %q break the rules", l, key, w, r)
					}
					plain := widget.NewLabel(text)
					plain.Wrapping = fyne.TextWrapBreak
					theirs += broken(drawnRows(plain, w))
				})
			}
		}
		t.Logf("%s: %d rows drawn; Fyne's own wrapping broke the rules %d times", l, rows, theirs)
		if theirs == 0 {
			t.Errorf("%s: Fyne's own wrapping kept the rules everywhere: the widths test nothing", l)
		}
	}
}

// drawnRows lays o out at width w and returns the rows of text drawn.
func drawnRows(o fyne.Widget, w float32) []string {
	test.WidgetRenderer(o)
	o.Resize(fyne.NewSize(w, 1000))
	var rows []string
	walk(o, func(c fyne.CanvasObject) {
		if t, ok := c.(*canvas.Text); ok && t.Text != "" {
			rows = append(rows, t.Text)
		}
	})
	return rows
}

// broken counts row boundaries that break the rules. A boundary inside a
// word of Latin letters is not counted: a word wider than the row must be
// cut somewhere.
func broken(rows []string) int {
	n := 0
	for i := 1; i < len(rows); i++ {
		a, b := []rune(rows[i-1]), []rune(rows[i])
		pair := []rune{a[len(a)-1], b[0]}
		if !linebreak.Allowed(pair, 1) && (cjk(pair[0]) || cjk(pair[1])) {
			n++
		}
	}
	return n
}

func cjk(r rune) bool { return r >= 0x2e80 }

func flatten(v any, key string) map[string]string {
	out := map[string]string{}
	switch v := v.(type) {
	case string:
		out[key] = v
	case map[string]any:
		for k, x := range v {
			for kk, s := range flatten(x, key+"."+k) {
				out[kk] = s
			}
		}
	}
	return out
}
