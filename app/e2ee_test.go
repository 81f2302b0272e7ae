package app

import (
	"testing"

	"kaigi/i18n"
	"kaigi/room"
	"kaigi/room/link"
)

// TestEncryptionShown: the call screen says whether the call is
// end-to-end encrypted, names whose media cannot be decrypted, and marks
// them in the participant list, in every language.
func TestEncryptionShown(t *testing.T) {
	a := newTestApp(t, Options{})
	c := &callState{people: map[string]*person{}, selfID: "me", done: make(chan struct{}), link: link.Link{Kind: link.LiveKit}}
	c.people["me"] = &person{id: "me", name: "Me", tile: newVideoTile()}
	c.order = []string{"me"}
	a.state.Call = c
	a.state.Screen = ScreenCall
	ui(func() {
		a.onCallEvent(c, room.ParticipantJoined{Participant: room.Participant{ID: "ken", Name: "Ken"}})
		a.onCallEvent(c, room.TrackAdded{ParticipantID: "ken", TrackID: "v", Kind: room.Video})
	})
	if !shows(a, "Not end-to-end encrypted") {
		t.Error("an unencrypted call does not say so")
	}
	ui(func() {
		a.onCallEvent(c, room.Encryption{Media: true})
		a.onCallEvent(c, room.Undecryptable{ParticipantID: "ken", Kind: room.Video, Err: room.Fail(room.ErrUndecryptable, nil, "")})
	})
	for _, s := range []string{"End-to-end encrypted · chat is not", "Can't decrypt Ken's video: check the passphrase"} {
		if !shows(a, s) {
			t.Errorf("%q not shown", s)
		}
	}
	ui(func() { c.peopleOn = true; a.show() })
	if !shows(a, "Can't decrypt") {
		t.Error("the participant list does not mark Ken")
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
	})
	if shows(a, "Can't decrypt Ken's video: check the passphrase") {
		t.Error("still shown after Ken's video decrypts again")
	}
}
