// The host's controls: for whoever runs the meeting (the host, or a
// co-host it made), a Host menu in the control bar (mute everyone, lock,
// end) and a menu on each person in the people list (mute, make co-host,
// remove). The room refuses them from anyone else; these only offer them.

package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaigi/room"
)

// moderation is the session's host controls while we may use them.
func (c *callState) moderation() room.Moderation {
	mod, ok := c.session.(room.Moderation)
	if !ok || !c.m.Moderating() {
		return nil
	}
	return mod
}

// hostButton is the control bar's Host menu (nil for everyone else).
func (a *App) hostButton(c *callState, button barButton) fyne.CanvasObject {
	if c.moderation() == nil {
		return nil
	}
	b := button(a.tr.T("call.host"), iconHost, "", nil)
	b.OnTapped = func() { a.showHostMenu(c, b) }
	c.hostBtns = append(c.hostBtns, b)
	return b
}

// hostMenuItems are what the Host menu offers.
func (a *App) hostMenuItems(c *callState) []*fyne.MenuItem {
	mod := c.moderation()
	if mod == nil {
		return nil
	}
	items := []*fyne.MenuItem{
		fyne.NewMenuItem(a.tr.T("host.mute_all"), func() {
			a.confirm(a.tr.T("host.mute_all"), a.tr.T("host.mute_all_confirm"), a.tr.T("host.mute_all"), func() {
				if err := mod.MuteAll(); err == nil {
					a.notify(a.tr.T("host.muted_all"))
				}
			})
		}),
	}
	lock := fyne.NewMenuItem(a.tr.T("host.lock"), func() { _ = mod.Lock(true) })
	if c.m.Locked {
		lock = fyne.NewMenuItem(a.tr.T("host.unlock"), func() { _ = mod.Lock(false) })
	}
	items = append(items, lock)
	if c.hosted {
		items = append(items, fyne.NewMenuItemSeparator(), fyne.NewMenuItem(a.tr.T("call.end"), func() { a.confirmLeave(c) }))
	}
	return items
}

func (a *App) showHostMenu(c *callState, at fyne.CanvasObject) {
	items := a.hostMenuItems(c)
	if items == nil {
		return
	}
	menu := widget.NewPopUpMenu(fyne.NewMenu("", items...), a.win.Canvas())
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(at)
	menu.ShowAtPosition(fyne.NewPos(pos.X, pos.Y-menu.MinSize().Height))
}

// personMenuItems are what the people list's menu offers for someone.
func (a *App) personMenuItems(c *callState, id string) []*fyne.MenuItem {
	mod, p := c.moderation(), c.m.Person(id)
	if mod == nil || p == nil || id == c.selfID {
		return nil
	}
	var items []*fyne.MenuItem
	if !p.AudioMuted {
		items = append(items, fyne.NewMenuItem(a.tr.T("host.mute"), func() { _ = mod.MuteParticipant(id) }))
	}
	if p.Moderator {
		items = append(items, fyne.NewMenuItem(a.tr.T("host.unmake_cohost"), func() { _ = mod.SetCoHost(id, false) }))
	} else {
		items = append(items, fyne.NewMenuItem(a.tr.T("host.make_cohost"), func() { _ = mod.SetCoHost(id, true) }))
	}
	items = append(items, fyne.NewMenuItem(a.tr.T("host.remove"), func() {
		msg := a.tr.Tf("host.remove_confirm", map[string]any{"Name": p.Name})
		a.confirm(a.tr.T("host.remove"), msg, a.tr.T("host.remove"), func() { _ = mod.RemoveParticipant(id) })
	}))
	return items
}

// personMenuButton is the "…" on someone's row of the people list.
func (a *App) personMenuButton(c *callState) *widget.Button {
	b := widget.NewButtonWithIcon("", theme.MoreVerticalIcon(), nil)
	b.Importance = widget.LowImportance
	c.menuBtns = append(c.menuBtns, b)
	return b
}

func (a *App) showPersonMenu(c *callState, id string, at fyne.CanvasObject) {
	items := a.personMenuItems(c, id)
	if items == nil {
		return
	}
	menu := widget.NewPopUpMenu(fyne.NewMenu("", items...), a.win.Canvas())
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(at)
	menu.ShowAtPosition(fyne.NewPos(pos.X+at.Size().Width-menu.MinSize().Width, pos.Y+at.Size().Height))
}
