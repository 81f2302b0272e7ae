package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"kaigi/room"
	"kaigi/room/link"
)

// What the call screen says about end-to-end encryption: a lock in the
// header, and a line for each participant whose media does not decrypt.

// lock says whether the call is end-to-end encrypted.
func (a *App) lock(c *callState) fyne.CanvasObject {
	if !c.m.Encryption.Media {
		l := widget.NewLabel(a.tr.T("call.e2ee.off"))
		l.Importance = widget.LowImportance
		return container.NewHBox(widget.NewIcon(iconLockOpen), l)
	}
	l := widget.NewLabel(a.tr.T("call.e2ee.on"))
	l.Importance = widget.SuccessImportance
	return container.NewHBox(widget.NewIcon(iconLock), l)
}

// chatNote says, in an encrypted call, that chat is not (nil otherwise):
// it goes through the server in clear.
func (a *App) chatNote(c *callState) fyne.CanvasObject {
	if !c.m.Encryption.Media || c.m.Encryption.Chat {
		return nil
	}
	l := a.wrapped(a.tr.T("call.e2ee.chat_clear"))
	l.Importance = widget.WarningImportance
	return l
}

var (
	cantDecrypt     = map[room.Kind]string{room.Video: "call.e2ee.cant_decrypt_video", room.Audio: "call.e2ee.cant_decrypt_audio"}
	cantDecryptLink = map[room.Kind]string{room.Video: "call.e2ee.cant_decrypt_video_link", room.Audio: "call.e2ee.cant_decrypt_audio_link"}
)

// undecryptableLines names whose video or sound cannot be decrypted, and
// what to check.
func (a *App) undecryptableLines(c *callState) []fyne.CanvasObject {
	var lines []fyne.CanvasObject
	for _, id := range c.m.IDs() {
		p := c.m.Person(id)
		if p == nil {
			continue
		}
		for _, kind := range []room.Kind{room.Video, room.Audio} {
			if !p.Undecryptable[kind] {
				continue
			}
			key := cantDecrypt[kind]
			if c.link.Kind == link.Galene {
				key = cantDecryptLink[kind] // a hosted meeting's key is in its invite
			}
			l := a.wrapped(a.tr.Tf(key, map[string]any{"Name": p.Name}))
			l.Importance = widget.DangerImportance
			lines = append(lines, l)
		}
	}
	return lines
}
