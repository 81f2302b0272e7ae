package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"kaigi/assets"
	"kaigi/i18n"
)

var (
	fontJP = fyne.NewStaticResource("NotoSansCJKjp-Kaigi.otf", assets.FontJP)
	fontTC = fyne.NewStaticResource("NotoSansCJKtc-Kaigi.otf", assets.FontTC)
)

// kaigiTheme is Fyne's default theme with Kaigi's colour and, for Japanese
// and Traditional Chinese, a CJK font of that region's glyph forms (Fyne's
// own fallback would give Chinese text Japanese shapes). Characters the
// subset lacks still fall back to the system's fonts.
type kaigiTheme struct {
	fyne.Theme
	font fyne.Resource // nil: Fyne's default
}

func newTheme(l i18n.Lang) fyne.Theme {
	t := &kaigiTheme{Theme: theme.DefaultTheme()}
	switch l {
	case i18n.Japanese:
		t.font = fontJP
	case i18n.TraditionalChinese:
		t.font = fontTC
	}
	return t
}

func (t *kaigiTheme) Font(s fyne.TextStyle) fyne.Resource {
	if t.font == nil || s.Monospace || s.Symbol {
		return t.Theme.Font(s)
	}
	return t.font
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
