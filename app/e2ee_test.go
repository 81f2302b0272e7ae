package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"kaigi/headless"
	"kaigi/i18n"
	"kaigi/internal/race"
	"kaigi/room"
	"kaigi/room/link"
)

// TestEncryptionShown: the call screen says whether the call is
// end-to-end encrypted, names whose media cannot be decrypted, and marks
// them in the participant list, in every language.
func TestEncryptionShown(t *testing.T) {
	a := newTestApp(t, Options{})
	c := testCall(a)
	ui(func() {
		c.link = link.Link{Kind: link.LiveKit}
		c.chatEntry, c.chatList = newTextEntry(), container.NewVBox()
		a.state.Call = c
		a.state.Screen = ScreenCall
		a.onCallEvent(c, room.ParticipantJoined{Participant: room.Participant{ID: "ken", Name: "Ken"}})
		a.onCallEvent(c, room.TrackAdded{ParticipantID: "ken", TrackID: "v", Kind: room.Video})
		a.show() // events rebuild the screen a little later
	})
	if !shows(a, "Not end-to-end encrypted") {
		t.Error("an unencrypted call does not say so")
	}
	ui(func() {
		a.onCallEvent(c, room.Encryption{Media: true})
		a.onCallEvent(c, room.Undecryptable{ParticipantID: "ken", Kind: room.Video, Err: room.Fail(room.ErrUndecryptable, nil, "")})
		a.show()
	})
	for _, s := range []string{"End-to-end encrypted", "Can't decrypt Ken's video: check the passphrase"} {
		if !shows(a, s) {
			t.Errorf("%q not shown", s)
		}
	}
	ui(func() { c.peopleOn = true; a.show() })
	if !shows(a, "Ken · Can't decrypt") {
		t.Error("the participant list does not mark Ken")
	}
	ui(func() { c.peopleOn = false; a.toggleChat(c) })
	if !shows(a, "Chat is not end-to-end encrypted") {
		t.Error("the chat panel does not say that chat is not encrypted")
	}
	ui(func() { a.SetLang(i18n.Japanese) })
	if !shows(a, "Kenさんの映像を復号できません。パスフレーズを確認してください。") {
		t.Error("not said in Japanese")
	}
	ui(func() { a.SetLang(i18n.TraditionalChinese) })
	if !shows(a, "無法解密Ken的視訊：請確認密碼片語。") {
		t.Error("not said in Chinese")
	}
	ui(func() {
		a.SetLang(i18n.English)
		a.onCallEvent(c, room.Undecryptable{ParticipantID: "ken", Kind: room.Video})
		a.show()
	})
	if shows(a, "Can't decrypt Ken's video: check the passphrase") {
		t.Error("still shown after Ken's video decrypts again")
	}
}

// TestEncryptedNewMeeting: New meeting with "End-to-end encrypted" puts a
// key in the invite; a participant with the invite sees Aiko and is seen,
// one with the invite cut before its key is named as undecryptable.
func TestEncryptedNewMeeting(t *testing.T) {
	a, _ := hostingApp(t, i18n.English)
	ui(func() {
		walk(a.win.Content(), func(o fyne.CanvasObject) {
			if c, ok := o.(*widget.Check); ok && c.Text == a.tr.T("home.new.e2ee") {
				c.SetChecked(true)
			}
		})
	})
	invite := startHosting(t, a)
	i := strings.Index(invite, "e2ee=")
	if i < 0 {
		t.Fatalf("invite %q has no key", invite)
	}
	withKey, _ := link.Parse(invite)
	cut, _ := link.Parse(strings.TrimRight(invite[:i], "#&"))
	results := make(chan headless.Result, 2)
	// They stay 8 s; at the race detector's speed media take longer to
	// start, so they stay longer and are waited for longer.
	stay, wait := 8*time.Second, 10*time.Second
	if race.Enabled {
		stay, wait = 25*time.Second, 25*time.Second
	}
	for _, m := range []struct {
		name string
		l    link.Link
	}{{"Ben", withKey}, {"Ken", cut}} {
		go func() {
			r, _ := headless.Run(context.Background(), headless.Options{Link: m.l, Name: m.name, Duration: stay, Dial: galeneJoin})
			results <- r
		}()
	}
	c := callOf(a)
	waitWithin(t, wait, "Ken named as undecryptable", func() bool {
		for _, p := range c.people {
			if p.Name == "Ken" && p.Undecryptable[room.Video] {
				return true
			}
		}
		return false
	})
	ui(func() { a.show() })
	for _, s := range []string{"End-to-end encrypted", "Can't decrypt Ken's video: everyone must join with the whole invite link"} {
		if !shows(a, s) {
			t.Errorf("%q not shown", s)
		}
	}
	ben := <-results
	ken := <-results
	if ben.Link == cut.URL {
		ben, ken = ken, ben
	}
	if !ben.Encrypted || ken.Encrypted {
		t.Errorf("encrypted: Ben %v, Ken %v", ben.Encrypted, ken.Encrypted)
	}
	for _, p := range ben.Peers {
		if p.Name == "Aiko" && (p.VideoFrames < race.AtLeast(30) || len(p.Undecryptable) > 0) {
			t.Errorf("Ben got from Aiko: %+v", p)
		}
	}
	ui(func() {
		for _, p := range c.people {
			if p.Name == "Ben" && (p.Undecryptable[room.Video] || p.Undecryptable[room.Audio]) {
				t.Error("Ben's media does not decrypt")
			}
		}
	})
}
