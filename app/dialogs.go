package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// One mechanism for the app's dialogs: Enter confirms, Esc cancels, and a
// dialog asked for again while it shows (a second Ctrl+Shift+L) is not
// stacked on top of the first.

// modal is the dialog showing, if any.
type modal struct {
	key     string // what it asks, so the same question is not asked twice
	confirm func() // Enter (nil: Enter dismisses)
	dismiss func() // Esc
}

// confirm asks a question; yes runs when the user confirms.
func (a *App) confirm(title, msg, ok string, yes func()) {
	a.confirmContent(title, title+"\x00"+msg, a.wrapped(msg), ok, yes)
}

// confirmContent is confirm with any content, known by key.
func (a *App) confirmContent(title, key string, content fyne.CanvasObject, ok string, yes func()) {
	if a.modal != nil && a.modal.key == key {
		return
	}
	if a.modal != nil {
		a.modal.dismiss()
	}
	var m *modal
	d := dialog.NewCustomConfirm(title, ok, a.tr.T("join.cancel"), container.New(&maxWidth{Width: 380}, content), func(y bool) {
		if a.modal == m {
			a.modal = nil
		}
		if y {
			yes()
		}
	}, a.win)
	m = &modal{key: key, confirm: d.Confirm, dismiss: d.Dismiss}
	a.showModal(m, d)
}

// inform shows a message with one button that closes it (Enter or Esc too),
// and extra buttons below the text.
func (a *App) inform(title, msg string, extra ...fyne.CanvasObject) {
	key := title + "\x00" + msg
	if a.modal != nil && a.modal.key == key {
		return
	}
	if a.modal != nil {
		a.modal.dismiss()
	}
	content := container.NewVBox(append([]fyne.CanvasObject{a.wrapped(msg)}, extra...)...)
	var m *modal
	d := dialog.NewCustom(title, a.tr.T("dialog.ok"), container.New(&maxWidth{Width: 380}, content), a.win)
	d.SetOnClosed(func() {
		if a.modal == m {
			a.modal = nil
		}
	})
	m = &modal{key: key, dismiss: d.Hide}
	for _, o := range extra {
		if b, ok := o.(*widget.Button); ok {
			tapped := b.OnTapped
			b.OnTapped = func() { d.Hide(); tapped() }
		}
	}
	a.showModal(m, d)
}

func (a *App) showModal(m *modal, d dialog.Dialog) {
	a.modal = m
	// A focused entry (the chat box) would take Esc and Enter.
	a.win.Canvas().Unfocus()
	d.Show()
}

// showProblemDialog says why a link cannot be joined, with Open in browser
// where a browser can.
func (a *App) showProblemDialog(p *problem) {
	var extra []fyne.CanvasObject
	if p.BrowserURL != "" {
		url := p.BrowserURL
		extra = append(extra, widget.NewButtonWithIcon(a.tr.T("link.open_browser"), theme.ComputerIcon(), func() { a.openURL(url) }))
	}
	a.inform(a.tr.T("link.cant_join_title"), a.problemText(p), extra...)
}

// typedKey handles keys no focused widget took: a dialog's Enter and Esc,
// and Esc leaving Settings.
func (a *App) typedKey(e *fyne.KeyEvent) {
	if m := a.modal; m != nil {
		switch e.Name {
		case fyne.KeyEscape:
			m.dismiss()
		case fyne.KeyReturn, fyne.KeyEnter:
			if m.confirm != nil {
				m.confirm()
			} else {
				m.dismiss()
			}
		}
		return
	}
	if e.Name == fyne.KeyEscape && a.state.Screen == ScreenSettings {
		a.closeSettings()
	}
	// Page Down and Page Up turn the grid's pages, as its buttons do.
	if c := a.state.Call; c != nil && a.state.Screen == ScreenCall && !c.speaker {
		switch {
		case e.Name == fyne.KeyPageDown:
			c.page++
			a.restage(c)
		case e.Name == fyne.KeyPageUp && c.page > 0:
			c.page--
			a.restage(c)
		}
	}
}
