package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaigi/i18n/linebreak"
)

// wrapLabel is a label that wraps where the text's language allows: at
// spaces, and in Japanese and Chinese between characters but never with
// 、。， or small kana at a line's start nor an opening bracket at its end
// (package linebreak). Fyne's own wrapping knows only spaces and
// overflow, so the label is given its lines already broken for the width
// it is laid out at; Text holds them, text the words as given.
type wrapLabel struct {
	widget.Label
	text  string
	width float32 // the width Text was broken for; 0 before the first layout
}

func newWrapLabel(text string, style fyne.TextStyle) *wrapLabel {
	l := &wrapLabel{text: text}
	l.Text = text
	l.TextStyle = style
	l.Wrapping = fyne.TextWrapWord // keeps Fyne's wrapped label sizing; our lines always fit
	l.ExtendBaseWidget(l)
	return l
}

// label is a wrapped label in style.
func (a *App) label(text string, style fyne.TextStyle) *wrapLabel {
	return newWrapLabel(text, style)
}

// wrapped is a wrapped label.
func (a *App) wrapped(text string) *wrapLabel {
	return newWrapLabel(text, fyne.TextStyle{})
}

// SetText replaces the text and breaks it for the current width.
func (l *wrapLabel) SetText(text string) {
	l.text = text
	l.breakLines()
	l.Label.Refresh()
}

// Resize breaks the lines anew when the width changes.
func (l *wrapLabel) Resize(s fyne.Size) {
	if s.Width != l.width {
		l.width = s.Width
		if l.breakLines() {
			l.Label.Refresh()
		}
	}
	l.Label.Resize(s)
}

// breakLines sets Text to text broken for the width (as Fyne's label
// measures it: the width less the inner padding each side) and says
// whether Text changed.
func (l *wrapLabel) breakLines() bool {
	text := l.text
	if l.width > 0 {
		th := l.Theme()
		size := th.Size(theme.SizeNameText)
		if l.SizeName != "" {
			size = th.Size(l.SizeName)
		}
		max := l.width - 2*th.Size(theme.SizeNameInnerPadding)
		text = strings.Join(linebreak.Wrap(l.text, max, func(s string) float32 {
			return fyne.MeasureText(s, size, l.TextStyle).Width
		}), "\n")
	}
	if text == l.Text {
		return false
	}
	l.Text = text
	return true
}
