package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"kaigi/assets"
	"kaigi/i18n"
)

func TestGlyphForms(t *testing.T) {
	for _, tt := range []struct {
		lang   i18n.Lang
		locale string
		want   assets.Forms
	}{
		{i18n.Japanese, "en-US", assets.Japanese},
		{i18n.TraditionalChinese, "ja-JP", assets.TraditionalChinese},
		{i18n.English, "en-US", assets.Japanese},
		{i18n.English, "ja-JP", assets.Japanese},
		{i18n.English, "zh-TW", assets.TraditionalChinese},
		{i18n.English, "zh-CN", assets.TraditionalChinese},
	} {
		if got := glyphForms(tt.lang, tt.locale); got != tt.want {
			t.Errorf("glyphForms(%s, %s) = %s, want %s", tt.lang, tt.locale, got, tt.want)
		}
	}
}

// TestThemeFonts: every language gets the bundled faces, bold for bold
// (headings, names, initials); monospace and symbols stay Fyne's.
func TestThemeFonts(t *testing.T) {
	for _, l := range i18n.All {
		th := newTheme(l)
		for _, tt := range []struct {
			style fyne.TextStyle
			want  string
		}{
			{fyne.TextStyle{}, "-Regular.otf"},
			{fyne.TextStyle{Italic: true}, "-Regular.otf"},
			{fyne.TextStyle{Bold: true}, "-Bold.otf"},
			{fyne.TextStyle{Bold: true, Italic: true}, "-Bold.otf"},
		} {
			if got := th.Font(tt.style).Name(); !strings.HasPrefix(got, "NotoSansCJK") || !strings.HasSuffix(got, tt.want) {
				t.Errorf("%s %+v: font %s, want a bundled %s", l, tt.style, got, tt.want)
			}
		}
		if got := th.Font(fyne.TextStyle{Monospace: true}); got != theme.DefaultTheme().Font(fyne.TextStyle{Monospace: true}) {
			t.Errorf("%s: monospace is %s", l, got.Name())
		}
	}
}
