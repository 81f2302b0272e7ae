package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// TestTextEntryComposition: keys an input method takes for its composition
// neither submit nor edit the field; the committed text arrives; plain
// typing submits on Enter as before, also when the input method hands the
// letters back after the Enter.
func TestTextEntryComposition(t *testing.T) {
	tempApp(t)
	var e *textEntry
	submitted := 0
	ui(func() {
		e = newTextEntry()
		test.NewTempWindow(t, e)
		e.OnSubmitted = func(string) { submitted++ }
	})
	key := func(names ...fyne.KeyName) {
		ui(func() {
			for _, n := range names {
				e.TypedKey(&fyne.KeyEvent{Name: n})
			}
		})
	}
	runes := func(s string) { // the characters an input method commits
		ui(func() {
			for _, r := range s {
				e.TypedRune(r)
			}
		})
	}
	typed := func(s string) { // a key and its character, as without an input method
		for _, r := range s {
			key(fyne.KeyName(string(r - 'a' + 'A')))
			runes(string(r))
		}
	}
	// state is the field's text and how often it was submitted.
	state := func() (string, int) {
		var text string
		var n int
		ui(func() { text, n = e.Text, submitted })
		return text, n
	}

	typed("ab")
	// "nihongo", Space (convert), Backspace, Space, Enter: all the input method's.
	key(fyne.KeyN, fyne.KeyI, fyne.KeyH, fyne.KeyO, fyne.KeyN, fyne.KeyG, fyne.KeyO, fyne.KeySpace,
		fyne.KeyBackspace, fyne.KeySpace, fyne.KeyLeft, fyne.KeyReturn)
	if text, n := state(); text != "ab" || n != 0 {
		t.Fatalf("while composing: text %q, submitted %d times", text, n)
	}
	runes("日本語") // the commit
	key(fyne.KeyReturn)
	if text, n := state(); text != "ab日本語" || n != 1 {
		t.Errorf("after the commit: text %q, submitted %d times", text, n)
	}
	// Escape cancels a composition: the next Enter submits.
	key(fyne.KeyS, fyne.KeyU, fyne.Key3, fyne.KeyEscape, fyne.KeyReturn)
	typed("c")
	key(fyne.KeyBackspace, fyne.KeyReturn)
	if text, n := state(); text != "ab日本語" || n != 3 {
		t.Errorf("after a cancelled composition: text %q, submitted %d times", text, n)
	}
	// The input method hands plain letters back late: Enter waits for them.
	key("LeftShift", "K", fyne.KeyE, fyne.KeyN, fyne.KeyReturn)
	runes("Ke")
	if _, n := state(); n != 3 {
		t.Errorf("Enter submitted before the letters came back")
	}
	runes("n")
	if text, n := state(); text != "ab日本語Ken" || n != 4 {
		t.Errorf("letters handed back late: text %q, submitted %d times", text, n)
	}
	// One key, one kana: the commit is no letter typed back, Enter was the IM's.
	key(fyne.KeyA, fyne.KeyReturn)
	runes("あ")
	if text, n := state(); text != "ab日本語Kenあ" || n != 4 {
		t.Errorf("a one-key composition: text %q, submitted %d times", text, n)
	}
}
