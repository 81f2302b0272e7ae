package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// textEntry is a widget.Entry that leaves the keys of an input method's
// composition (Japanese, Chinese) to the input method.
//
// GLFW 3.3, under Fyne 2.7, reports every key press to the app at once,
// also those the input method (IBus or fcitx through XIM) takes: for its
// composition, or only to hand the character back a moment later. Without
// care, the Enter that confirms 日本語 also submitted the form (join, send
// the chat line) before the word arrived, Backspace deleted a letter of the
// field while it edited the composition, and an Enter typed right after
// "Ken" submitted "K" while "en" was still on its way back.
//
// So the character keys the input method has not answered yet are kept. A
// character that is the next such key typed back answers it; any other
// (日, 本, 語) is a commit and ends the composition. An Enter that comes
// while keys are unanswered waits: it submits once they are all typed back,
// and was the input method's if a commit comes instead.
type textEntry struct {
	widget.Entry
	pending     []fyne.KeyName // character keys not answered yet, oldest first
	submitLater bool           // Enter came while keys were pending
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
		e.pending = append(e.pending, k.Name) // answered by TypedRune
		e.submitLater = false
	case len(e.pending) > 0:
		switch k.Name {
		case fyne.KeyReturn, fyne.KeyEnter:
			e.submitLater = true
			return
		case fyne.KeyEscape:
			e.pending, e.submitLater = nil, false // the composition is cancelled
			return
		case fyne.KeyBackspace:
			e.pending = e.pending[:len(e.pending)-1]
			return
		case fyne.KeyDelete, fyne.KeyLeft, fyne.KeyRight, fyne.KeyUp, fyne.KeyDown, fyne.KeyHome, fyne.KeyEnd:
			return // moves within the composition or its candidates
		}
	}
	e.Entry.TypedKey(k)
}

// TypedRune implements fyne.Focusable.
func (e *textEntry) TypedRune(r rune) {
	if len(e.pending) > 0 && typedBy(e.pending[0], r) {
		e.pending = e.pending[1:]
	} else {
		e.pending, e.submitLater = nil, false // a commit
	}
	e.Entry.TypedRune(r)
	if e.submitLater && len(e.pending) == 0 {
		e.submitLater = false
		e.Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	}
}

// FocusLost implements fyne.Focusable: a composition does not follow the
// focus elsewhere.
func (e *textEntry) FocusLost() {
	e.pending, e.submitLater = nil, false
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

// typedBy reports whether r is what key k types by itself (a, A; 1; space).
func typedBy(k fyne.KeyName, r rune) bool {
	if k == fyne.KeySpace {
		return r == ' '
	}
	return strings.EqualFold(string(k), string(r))
}
