package app

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"

	"kaigi/assets"
	"kaigi/i18n"
)

// kaigiTheme is Fyne's default theme with Kaigi's colour and bundled CJK
// fonts, regular and bold, in every interface language: names and chat are
// arbitrary text, and a machine without CJK fonts would draw them as boxes.
//
// Fyne 2.7.1 has no hook to put a font after the system's: its painter
// tries, in order, the theme's font, Fyne's Noto Sans, the emoji font and
// the system font for the locale, and only then asks the system for a font
// per character. So the theme's font is the one slot, and ours holds only
// what Fyne's Noto Sans lacks (kana, ideographs, CJK punctuation): Latin
// text keeps Fyne's font and English typography, CJK text takes the
// bundled glyphs even where the system has its own, and characters beyond
// the bundled set (Hangul, rare ideographs, other scripts) still come from
// the system's fonts.
type kaigiTheme struct {
	fyne.Theme
	regular, bold fyne.Resource
}

func newTheme(l i18n.Lang) fyne.Theme {
	forms := glyphForms(l, lang.SystemLocale().String())
	return &kaigiTheme{Theme: theme.DefaultTheme(), regular: newBundledFont(forms, false), bold: newBundledFont(forms, true)}
}

// bundledFont is a bundled face as a resource. It starts unpacking when
// made, so the two faces a window needs unpack side by side while the
// window is built; Content waits for it. Fyne asks for the content once
// per text style it parses a face for, and keeps only the parsed face.
type bundledFont struct {
	forms assets.Forms
	bold  bool
}

func newBundledFont(f assets.Forms, bold bool) fyne.Resource {
	assets.Prefetch(f, bold)
	return &bundledFont{forms: f, bold: bold}
}

func (f *bundledFont) Name() string { return assets.FontName(f.forms, f.bold) }

// Content is the font; Fyne's own if ours cannot be unpacked (the assets'
// tests make sure it can), as Fyne cannot draw without one.
func (f *bundledFont) Content() []byte {
	b, err := assets.Font(f.forms, f.bold)
	if err != nil {
		fyne.LogError("bundled font", err)
		if f.bold {
			return theme.DefaultTextBoldFont().Content()
		}
		return theme.DefaultTextFont().Content()
	}
	return b
}

// glyphForms picks the ideographs' regional forms: the interface language's
// own, and in English the locale's — Chinese locales take Traditional
// Chinese forms (of GB2312's 6763 characters, 4460 have the same glyph in
// Noto Sans CJK SC and TC, 3830 in SC and JP), everything else Japanese.
func glyphForms(l i18n.Lang, locale string) assets.Forms {
	switch l {
	case i18n.Japanese:
		return assets.Japanese
	case i18n.TraditionalChinese:
		return assets.TraditionalChinese
	}
	if strings.HasPrefix(strings.ToLower(locale), "zh") {
		return assets.TraditionalChinese
	}
	return assets.Japanese
}

func (t *kaigiTheme) Font(s fyne.TextStyle) fyne.Resource {
	switch {
	case s.Monospace || s.Symbol:
		return t.Theme.Font(s)
	case s.Bold:
		return t.bold
	}
	return t.regular
}

var (
	primary     = color.NRGBA{0x25, 0x63, 0xeb, 0xff}
	primaryDark = color.NRGBA{0x60, 0x8d, 0xf5, 0xff}
)

func (t *kaigiTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNamePrimary, theme.ColorNameFocus, theme.ColorNameHyperlink:
		if v == theme.VariantDark {
			return primaryDark
		}
		return primary
	}
	return t.Theme.Color(n, v)
}
