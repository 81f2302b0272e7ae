package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// textEntry is a widget.Entry that leaves the keys of an input method's
// composition (Japanese, Chinese) to the input method.
//
// GLFW 3.3, under Fyne 2.7, reports every key press to the app, also those
// the input method (IBus or fcitx through XIM) took for its composition: the
// Enter that confirms 日本語 would also submit the form (join, send the chat
// line) before the word arrives, and Backspace would delete a letter of the
// field while it edits the composition. A key that types a character comes
// with that character at once (GLFW reports both together) unless the input
// method took it; such keys mean a composition is under way, and the text
// the input method commits, or Enter or Escape, ends it.
type textEntry struct {
	widget.Entry
	composing int // character keys the input method took since it last committed
}

func newTextEntry() *textEntry {
	e := &textEntry{}
	e.ExtendBaseWidget(e)
	return e
}

func newPasswordEntry() *textEntry {
	e := newTextEntry()
	e.Password = true
	return e
}

// TypedKey implements fyne.Focusable.
func (e *textEntry) TypedKey(k *fyne.KeyEvent) {
	switch {
	case typesCharacter(k.Name):
		e.composing++ // undone by TypedRune unless the input method took the key
	case e.composing > 0:
		switch k.Name {
		case fyne.KeyReturn, fyne.KeyEnter, fyne.KeyEscape:
			e.composing = 0 // the input method commits or cancels
			return
		case fyne.KeyBackspace:
			e.composing--
			return
		case fyne.KeyDelete, fyne.KeyLeft, fyne.KeyRight, fyne.KeyUp, fyne.KeyDown, fyne.KeyHome, fyne.KeyEnd:
			return // moves within the composition or its candidates
		}
	}
	e.Entry.TypedKey(k)
}

// TypedRune implements fyne.Focusable.
func (e *textEntry) TypedRune(r rune) {
	e.composing = 0
	e.Entry.TypedRune(r)
}

// FocusLost implements fyne.Focusable: a composition does not follow the
// focus elsewhere.
func (e *textEntry) FocusLost() {
	e.composing = 0
	e.Entry.FocusLost()
}

// typesCharacter reports whether a key without Ctrl, Alt or Super types a
// character: letters, digits, punctuation and space.
func typesCharacter(k fyne.KeyName) bool {
	if len(k) != 1 && k != fyne.KeySpace {
		return false
	}
	if d, ok := fyne.CurrentApp().Driver().(desktop.Driver); ok {
		if d.CurrentKeyModifiers()&^fyne.KeyModifierShift != 0 {
			return false
		}
	}
	return true
}
