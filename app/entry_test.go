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
	test.NewTempApp(t)
	e := newTextEntry()
	test.NewTempWindow(t, e)
	submitted := 0
	e.OnSubmitted = func(string) { submitted++ }
	key := func(names ...fyne.KeyName) {
		for _, n := range names {
			e.TypedKey(&fyne.KeyEvent{Name: n})
		}
	}
	typed := func(s string) { // a key and its character, as without an input method
		for _, r := range s {
			key(fyne.KeyName(string(r - 'a' + 'A')))
			e.TypedRune(r)
		}
	}

	typed("ab")
	// "nihongo", Space (convert), Backspace, Space, Enter: all the input method's.
	key(fyne.KeyN, fyne.KeyI, fyne.KeyH, fyne.KeyO, fyne.KeyN, fyne.KeyG, fyne.KeyO, fyne.KeySpace,
		fyne.KeyBackspace, fyne.KeySpace, fyne.KeyLeft, fyne.KeyReturn)
	if e.Text != "ab" || submitted != 0 {
		t.Fatalf("while composing: text %q, submitted %d times", e.Text, submitted)
	}
	for _, r := range "日本語" { // the commit
		e.TypedRune(r)
	}
	key(fyne.KeyReturn)
	if e.Text != "ab日本語" || submitted != 1 {
		t.Errorf("after the commit: text %q, submitted %d times", e.Text, submitted)
	}
	// Escape cancels a composition: the next Enter submits.
	key(fyne.KeyS, fyne.KeyU, fyne.Key3, fyne.KeyEscape, fyne.KeyReturn)
	typed("c")
	key(fyne.KeyBackspace, fyne.KeyReturn)
	if e.Text != "ab日本語" || submitted != 3 {
		t.Errorf("after a cancelled composition: text %q, submitted %d times", e.Text, submitted)
	}
	// The input method hands plain letters back late: Enter waits for them.
	key("LeftShift", "K", fyne.KeyE, fyne.KeyN, fyne.KeyReturn)
	e.TypedRune('K')
	e.TypedRune('e')
	if submitted != 3 {
		t.Errorf("Enter submitted before the letters came back")
	}
	e.TypedRune('n')
	if e.Text != "ab日本語Ken" || submitted != 4 {
		t.Errorf("letters handed back late: text %q, submitted %d times", e.Text, submitted)
	}
	// One key, one kana: the commit is no letter typed back, Enter was the IM's.
	key(fyne.KeyA, fyne.KeyReturn)
	e.TypedRune('あ')
	if e.Text != "ab日本語Kenあ" || submitted != 4 {
		t.Errorf("a one-key composition: text %q, submitted %d times", e.Text, submitted)
	}
}
