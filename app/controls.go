// The call's controls: microphone, camera, devices, view, chat, people, invite, leave.

package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaigi/media"
	"kaigi/room"
)

// controls are the call's buttons. A window too narrow for their words
// (Japanese labels are long) shows them as icons, each with its words as
// a tooltip: the same actions, two ways of showing them (see fitBar).
func (a *App) controls(c *callState) fyne.CanvasObject {
	return container.NewPadded(container.New(&fitBar{}, a.controlBar(c, false), a.controlBar(c, true)))
}

// controlBar is the row of call buttons, with words or (compact) icons only.
func (a *App) controlBar(c *callState, compact bool) fyne.CanvasObject {
	hasMic := c.local != nil && c.local.AudioTrack() != nil
	hasCam := c.local != nil && c.local.VideoTrack() != nil
	button := func(text string, icon fyne.Resource, tip string, tapped func()) *tipButton {
		if compact {
			if tip == "" {
				tip = text
			}
			text = ""
		}
		return a.newTipButton(text, icon, tip, tapped)
	}
	micIcon, micText, micTip := iconMic, a.tr.T("call.mute"), a.tr.T("call.tip.mic")
	if c.micOff {
		micIcon, micText = iconMicOff, a.tr.T("call.unmute")
	}
	if !hasMic {
		micIcon, micText, micTip = iconMicOff, a.tr.T("call.unmute"), a.tr.T("call.tip.no_mic")
	}
	camIcon, camText, camTip := iconCam, a.tr.T("call.camera_off"), a.tr.T("call.tip.camera")
	if c.camOff {
		camIcon, camText = iconCamOff, a.tr.T("call.camera_on")
	}
	if !hasCam {
		camIcon, camText, camTip = iconCamOff, a.tr.T("call.camera_on"), a.tr.T("call.tip.no_camera")
	}
	mic := button(micText, micIcon, micTip, func() { a.toggleMic(c) })
	cam := button(camText, camIcon, camTip, func() { a.toggleCam(c) })
	if !hasMic {
		mic.Disable()
	}
	if !hasCam {
		cam.Disable()
	}
	chatText := a.tr.T("call.chat")
	if c.m.Unread > 0 {
		chatText = a.tr.Tf("call.chat_unread", map[string]any{"Count": c.m.Unread})
	}
	chat := button(chatText, iconChat, a.tr.T("call.tip.chat"), func() { a.toggleChat(c) })
	if c.m.Unread > 0 && compact {
		chat.tip = chatText
		chat.Importance = widget.HighImportance
	}
	if compact {
		c.chatBtnCompact = chat
	} else {
		c.chatBtn = chat
	}
	people := button(a.tr.T("call.people"), iconPeople, "", func() {
		c.peopleOn = !c.peopleOn
		c.m.SetChatOpen(false)
		a.show()
	})
	viewText, viewIcon, viewTip := a.tr.T("call.speaker_view"), theme.ViewFullScreenIcon(), a.tr.T("call.tip.speaker_view")
	if c.speaker {
		viewText, viewIcon, viewTip = a.tr.T("call.grid_view"), theme.GridIcon(), a.tr.T("call.tip.grid_view")
	}
	view := button(viewText, viewIcon, viewTip, func() { a.toggleView(c) })
	devices := button(a.tr.T("call.devices"), theme.SettingsIcon(), "", func() { a.showDevices(c) })
	invite := button(a.tr.T("call.copy_link"), theme.ContentCopyIcon(), "", func() { a.copyInvite(c) })
	leaveText := a.tr.T("call.leave")
	if compact {
		leaveText = a.tr.T("call.tip.leave")
	}
	leave := button(a.tr.T("call.leave"), iconLeave, leaveText, func() { a.confirmLeave(c) })
	if !compact {
		leave.tip = a.tr.T("call.tip.leave")
	}
	leave.Importance = widget.DangerImportance
	bar := container.NewHBox(layout.NewSpacer(), mic, cam, a.shareButton(c, button))
	for _, b := range a.gestureButtons(c, button) {
		bar.Add(b)
	}
	bar.Objects = append(bar.Objects, devices, view, chat, people, invite)
	if host := a.hostButton(c, button); host != nil {
		bar.Add(host)
	}
	bar.Objects = append(bar.Objects, leave, layout.NewSpacer())
	return bar
}

// fitBar shows the first of its objects that fits its width (the last if
// none does), and hides the others.
type fitBar struct{}

func (fitBar) pick(objs []fyne.CanvasObject, width float32) int {
	for i, o := range objs {
		if o.MinSize().Width <= width {
			return i
		}
	}
	return len(objs) - 1
}

func (f fitBar) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	shown := f.pick(objs, size.Width)
	for i, o := range objs {
		if i != shown {
			o.Hide()
			continue
		}
		o.Show()
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (fitBar) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var m fyne.Size
	for _, o := range objs {
		m.Height = max(m.Height, o.MinSize().Height)
	}
	if len(objs) > 0 {
		m.Width = objs[len(objs)-1].MinSize().Width
	}
	return m
}

// copyInvite puts the invite on the clipboard: the web link, and the
// kaigi: link that opens the app.
func (a *App) copyInvite(c *callState) {
	a.fyne.Clipboard().SetContent(c.link.URL + "\n" + c.link.KaigiURL())
	a.notify(a.tr.T("call.copied"))
}

// toggleChat opens the chat, ready to type in, or closes it.
// chatShortcut opens and closes the chat (Ctrl+Shift+C).
var chatShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyC, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}

// viewShortcut switches between the grid and speaker view (Ctrl+Shift+V).
var viewShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyV, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}

// toggleView switches between the grid and speaker view, unpinning.
func (a *App) toggleView(c *callState) {
	c.speaker, c.pinned = !c.speaker, ""
	a.show()
}

func (a *App) toggleChat(c *callState) {
	c.m.SetChatOpen(!c.m.ChatOpen())
	c.peopleOn = false
	a.show()
	if c.m.ChatOpen() {
		a.win.Canvas().Focus(c.chatEntry)
	}
}

func (a *App) toggleMic(c *callState) {
	if c.local == nil || c.local.AudioTrack() == nil {
		a.notify(a.tr.T("call.tip.no_mic"))
		return
	}
	c.micOff = !c.micOff
	_ = c.session.SetMuted(room.Audio, c.micOff)
	a.show()
}

func (a *App) toggleCam(c *callState) {
	if c.local == nil || c.local.VideoTrack() == nil {
		a.notify(a.tr.T("call.tip.no_camera"))
		return
	}
	c.camOff = !c.camOff
	_ = c.session.SetMuted(room.Video, c.camOff)
	a.show()
}

// showDevices switches camera, microphone and speaker during the call:
// the devices under the tracks change, the call goes on.
func (a *App) showDevices(c *callState) {
	lb := &a.state.Lobby
	d := listDevices()
	fail := func(err error) {
		if err != nil {
			a.notify(a.tr.T("call.device_failed"))
		}
	}
	box := container.NewVBox(
		a.devicePicker("lobby.camera", d.cams, &lb.CamID, prefCamera, c.local != nil && c.local.VideoTrack() != nil, "lobby.no_camera"),
		a.devicePicker("lobby.microphone", d.mics, &lb.MicID, prefMicrophone, c.local != nil && c.local.AudioTrack() != nil, "lobby.no_microphone"),
		a.devicePicker("lobby.speaker", d.speakers, &lb.SpkID, prefSpeaker, len(d.speakers) > 0, "lobby.no_speaker"),
	)
	a.confirmContent(a.tr.T("call.devices"), "devices", box, a.tr.T("call.apply"), func() {
		if a.state.Call != c {
			return
		}
		if c.local != nil && c.local.AudioTrack() != nil && !a.opts.FakeMedia {
			fail(c.local.SwitchMicrophone(lb.MicID))
		}
		if c.local != nil && c.local.VideoTrack() != nil && !a.opts.FakeMedia {
			if cam, err := media.OpenCamera(lb.CamID, 640, 480, 30); err == nil {
				fail(c.local.SwitchCamera(cam))
			} else {
				fail(err)
			}
		}
		if c.remote != nil && !a.opts.FakeMedia {
			fail(c.remote.SwitchSpeaker(lb.SpkID))
		}
	})
}

// confirmLeave asks first; leaving a meeting we host ends it for everyone,
// and chat of ours that has not gone out is lost.
func (a *App) confirmLeave(c *callState) {
	msg, ok := a.tr.T("call.leave_confirm"), a.tr.T("call.leave")
	if c.hosted {
		msg, ok = a.tr.T("call.end_confirm"), a.tr.T("call.end")
	}
	if n := len(c.m.Unsent()); n > 0 {
		msg = a.tr.N("call.leave_unsent", n, nil) + "\n\n" + msg
	}
	a.confirm(a.tr.T("call.leave_confirm_title"), msg, ok, func() { a.leaveCall(c) })
}
