// The call screen's side panels: chat and the people in the meeting.

package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaigi/room"
)

func (a *App) chatPanel(c *callState) fyne.CanvasObject {
	var head fyne.CanvasObject = a.label(a.tr.T("call.chat"), fyne.TextStyle{Bold: true})
	if note := a.chatNote(c); note != nil {
		head = container.NewVBox(head, note)
	}
	c.chatEntry.SetPlaceHolder(a.tr.T("call.chat.placeholder"))
	send := widget.NewButtonWithIcon("", theme.MailSendIcon(), func() { a.sendChat(c) })
	for _, l := range c.chatSending {
		a.markLine(l) // in the language now chosen
	}
	var list fyne.CanvasObject = c.chatList
	if len(c.chatList.Objects) == 0 {
		list = a.wrapped(a.tr.T("call.chat.empty"))
	}
	scroll := container.NewVScroll(list)
	scroll.ScrollToBottom()
	return container.NewBorder(head, container.NewBorder(nil, nil, nil, send, c.chatEntry), nil, nil, scroll)
}

func (a *App) sendChat(c *callState) {
	text := strings.TrimSpace(c.chatEntry.Text)
	if text == "" {
		return
	}
	if err := c.session.SendChat(text); err != nil {
		a.notify(a.problemText(roomProblem(err)))
		return
	}
	c.chatEntry.SetText("")
}

// addChatLine appends a message in place; when the panel is closed the
// chat button counts it (the model decides what is unread).
func (a *App) addChatLine(c *callState, m room.ChatMessage) {
	head := m.FromName + "  " + m.Time.Local().Format("15:04")
	who := widget.NewLabelWithStyle(head, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	line := container.NewVBox(who, a.wrapped(m.Text))
	if m.Sending {
		// Held while the call reconnects: it says so until it goes out.
		if c.chatSending == nil {
			c.chatSending = map[string]*sendingLine{}
		}
		l := &sendingLine{id: m.ID, text: m.Text, who: who, head: head, line: line}
		c.chatSending[m.ID] = l
		a.markLine(l)
	}
	c.chatList.Add(line)
	if c.m.Unread > 0 {
		text := a.tr.Tf("call.chat_unread", map[string]any{"Count": c.m.Unread})
		if c.chatBtn != nil {
			c.chatBtn.SetText(text)
		}
		if b := c.chatBtnCompact; b != nil {
			b.tip, b.Importance = text, widget.HighImportance
			b.Refresh()
		}
	}
	if c.m.ChatOpen() {
		a.show()
	}
}

// sendingLine is a chat line of ours that waits to go out, or could not
// go out (notSent, with a button to send it again).
type sendingLine struct {
	id, text string
	who      *widget.Label
	head     string // what who says once the line has gone out
	line     *fyne.Container
	notSent  bool
	retry    *widget.Button
}

// markLine says on the line's head whether it is still sending or was
// not sent, in the language now chosen.
func (a *App) markLine(l *sendingLine) {
	if !l.notSent {
		l.who.Importance = widget.LowImportance
		l.who.SetText(l.head + "  · " + a.tr.T("call.chat.sending"))
		return
	}
	l.who.Importance = widget.DangerImportance
	l.who.SetText(l.head + "  · " + a.tr.T("call.chat.not_sent"))
	if l.retry == nil {
		l.retry = widget.NewButtonWithIcon("", theme.ViewRefreshIcon(), nil)
		l.line.Add(container.NewHBox(l.retry))
	}
	l.retry.SetText(a.tr.T("call.chat.send_again"))
}

// chatLineSent takes "sending" off our line: it has gone out, or, with
// err, could not, and the line offers to send it again.
func (a *App) chatLineSent(c *callState, e room.ChatSent) {
	l, ok := c.chatSending[e.ID]
	if !ok {
		return
	}
	if e.Err != nil {
		l.notSent = true
		a.markLine(l)
		l.retry.OnTapped = func() { a.sendAgain(c, l) }
		return
	}
	delete(c.chatSending, e.ID)
	l.who.Importance = widget.MediumImportance
	l.who.SetText(l.head)
}

// sendAgain sends a line that could not go out as a new one; the old line
// leaves the chat once the new one is taken.
func (a *App) sendAgain(c *callState, l *sendingLine) {
	if err := c.session.SendChat(l.text); err != nil {
		a.notify(a.problemText(roomProblem(err)))
		return
	}
	c.m.DropChat(l.id)
	delete(c.chatSending, l.id)
	c.chatList.Remove(l.line)
}

// peoplePanel lists everyone: ourselves first, then raised hands in the
// order they went up, then the tiles' order (the talkers and cameras
// first). It is a list that makes rows only for what is in view, so 300
// names cost what 15 do, and a search box narrows it. Whoever runs the
// meeting has a menu on each row (hostmenu.go).
func (a *App) peoplePanel(c *callState) fyne.CanvasObject {
	head := a.label(a.tr.N("call.participants", c.m.Len(), nil), fyne.TextStyle{Bold: true})
	search := newTextEntry()
	search.SetPlaceHolder(a.tr.T("call.people.search"))
	search.SetText(c.peopleQuery)
	shown := func() []string {
		q := strings.ToLower(strings.TrimSpace(c.peopleQuery))
		var ids []string
		for _, id := range c.m.ListIDs() {
			if p := c.m.Person(id); q == "" || strings.Contains(strings.ToLower(p.Name), q) {
				ids = append(ids, id)
			}
		}
		return ids
	}
	ids := shown()
	list := widget.NewList(func() int { return len(ids) },
		func() fyne.CanvasObject {
			marks := container.NewHBox(widget.NewIcon(iconMicOff), a.personMenuButton(c))
			return container.NewBorder(nil, nil, handMark(), marks, widget.NewLabel(""))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(ids) {
				return
			}
			row := o.(*fyne.Container)
			label, hand := row.Objects[0].(*widget.Label), row.Objects[1]
			marks := row.Objects[2].(*fyne.Container)
			mark, menu := marks.Objects[0].(*widget.Icon), marks.Objects[1].(*widget.Button)
			p := c.m.Person(ids[i])
			if p == nil {
				return
			}
			show(hand, p.Hand)
			id := p.ID
			menu.OnTapped = func() { a.showPersonMenu(c, id, menu) }
			show(menu, id != c.selfID && c.moderation() != nil)
			name, muted := p.Name, p.AudioMuted
			if p.ID == c.selfID {
				name, muted = a.tr.Tf("call.you", map[string]any{"Name": p.Name}), c.micOff
			}
			label.Importance = widget.MediumImportance
			if p.Undecryptable[room.Video] || p.Undecryptable[room.Audio] {
				name += " · " + a.tr.T("call.e2ee.cant_decrypt")
				label.Importance = widget.DangerImportance
			}
			if p.Moderator {
				// The protocol tells operators, not who made whom one.
				name += " · " + a.tr.T("call.role_host")
			}
			label.SetText(name)
			if muted {
				mark.Show()
			} else {
				mark.Hide()
			}
		})
	search.OnChanged = func(q string) {
		c.peopleQuery = q
		ids = shown()
		list.Refresh()
	}
	return container.NewBorder(container.NewVBox(head, search), nil, nil, nil, list)
}

// show shows or hides o.
func show(o fyne.CanvasObject, on bool) {
	if on {
		o.Show()
	} else {
		o.Hide()
	}
}
