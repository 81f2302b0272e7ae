// The call screen's side panels: chat and the people in the meeting.

package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaigi/room"
)

func (a *App) chatPanel(c *callState) fyne.CanvasObject {
	head := a.label(a.tr.T("call.chat"), fyne.TextStyle{Bold: true})
	c.chatEntry.SetPlaceHolder(a.tr.T("call.chat.placeholder"))
	send := widget.NewButtonWithIcon("", theme.MailSendIcon(), func() { a.sendChat(c) })
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
	who := widget.NewLabelWithStyle(m.FromName+"  "+m.Time.Local().Format("15:04"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	body := widget.NewLabel(m.Text)
	body.Wrapping = fyne.TextWrapBreak // CJK text has no spaces to wrap at
	c.chatList.Add(container.NewVBox(who, body))
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

func (a *App) peoplePanel(c *callState) fyne.CanvasObject {
	box := container.NewVBox(a.label(a.tr.N("call.participants", len(c.people), nil), fyne.TextStyle{Bold: true}))
	for _, id := range c.m.IDs() { // ourselves first
		p := c.people[id]
		name := p.Name
		if id == c.selfID {
			name = a.tr.Tf("call.you", map[string]any{"Name": p.Name})
		}
		row := container.NewHBox(widget.NewLabel(name), layout.NewSpacer())
		muted := p.AudioMuted
		if id == c.selfID {
			muted = c.micOff
		}
		if muted {
			row.Add(widget.NewIcon(iconMicOff))
		}
		box.Add(row)
	}
	return container.NewVScroll(box)
}
