package app

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"kaigi/headless"
	"kaigi/i18n"
	"kaigi/media"
	"kaigi/room"
	"kaigi/room/galene"
	"kaigi/room/host"
	"kaigi/room/link"
)

// These tests walk the paths a person walks: from the home screen, by the
// buttons and keys they use, to what they and the other participants see
// and what the network shows. Media are synthetic (no camera here).

// galeneJoin joins with the real Galène-protocol dialect.
func galeneJoin(ctx context.Context, o room.JoinOptions) (room.Session, error) {
	return galene.Dial(ctx, o)
}

// hostingApp is an app that hosts meetings on loopback as "New meeting"
// does, with the host.Meetings the real app uses.
func hostingApp(t *testing.T, lang i18n.Lang) (*App, *host.Meetings) {
	t.Helper()
	m := &host.Meetings{Config: host.Config{Listen: "127.0.0.1:0", Insecure: true}}
	t.Cleanup(m.Close)
	a := newTestApp(t, Options{Lang: lang, FakeMedia: true, Join: galeneJoin, NewMeeting: m.New, EndMeeting: m.End, HostToken: m.HostToken})
	ui(func() { a.state.Name = "Aiko" })
	return a, m
}

// typeShortcut presses a shortcut on the window, as the keyboard does.
func typeShortcut(a *App, s fyne.Shortcut) {
	ui(func() { a.win.Canvas().(fyne.Shortcutable).TypedShortcut(s) })
}

// typeKey presses a key that no widget has taken.
func typeKey(a *App, k fyne.KeyName) {
	ui(func() { a.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: k}) })
}

var leaveShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}

// startHosting goes New meeting → lobby → Join now, and returns the invite.
func startHosting(t *testing.T, a *App) string {
	t.Helper()
	tap(button(a, a.tr.T("home.new")))
	waitFor(t, "the lobby of the new meeting", func() bool { return a.state.Screen == ScreenLobby })
	tap(button(a, a.tr.T("lobby.join")))
	waitFor(t, "the call screen", func() bool { return a.state.Screen == ScreenCall && a.state.Call != nil })
	var invite string
	ui(func() { invite = a.state.Hosted.invite })
	if invite == "" {
		t.Fatal("the new meeting is not known as hosted")
	}
	return invite
}

func listening(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err == nil {
		c.Close()
	}
	return err == nil
}

// TestHostingEndsWhenLeft: New meeting, someone joins, Leave (by its
// shortcut, confirmed with Enter) ends the meeting for them, and the port
// closes. A second New meeting works and ends the same way.
func TestHostingEndsWhenLeft(t *testing.T) {
	a, m := hostingApp(t, i18n.English)
	for round := 1; round <= 2; round++ {
		invite := startHosting(t, a)
		addr := m.Addr()
		if !listening(addr) {
			t.Fatalf("round %d: the meeting does not listen", round)
		}
		l, err := link.Parse(invite)
		if err != nil {
			t.Fatal(err)
		}
		bot := make(chan headless.Result, 1)
		go func() {
			r, _ := headless.Run(context.Background(), headless.Options{Link: l, Name: "Ken", Duration: 30 * time.Second, Dial: galene.Dial})
			bot <- r
		}()
		c := callOf(a)
		waitFor(t, "Ken in the call", func() bool { return len(c.people) == 2 })

		// Ctrl+Shift+L twice: one dialog, in the host's words. (A
		// notice that Ken joined may still show on a slow machine.)
		waitFor(t, "no notice", func() bool { return a.win.Canvas().Overlays().Top() == nil })
		typeShortcut(a, leaveShortcut)
		typeShortcut(a, leaveShortcut)
		var dialogs int
		ui(func() { dialogs = len(a.win.Canvas().Overlays().List()) })
		if dialogs != 1 {
			t.Errorf("round %d: %d dialogs after two Ctrl+Shift+L", round, dialogs)
		}
		if !overlayShows(a, a.tr.T("call.end_confirm")) {
			t.Errorf("round %d: the leave dialog does not say that leaving ends the meeting", round)
		}
		// Esc keeps the call; Enter leaves.
		typeKey(a, fyne.KeyEscape)
		if !on(func() bool { return a.state.Call == c && a.modal == nil }) {
			t.Fatalf("round %d: Esc did not cancel", round)
		}
		typeShortcut(a, leaveShortcut)
		typeKey(a, fyne.KeyReturn)
		waitFor(t, "home", func() bool { return a.state.Screen == ScreenHome })
		ui(func() {
			if a.state.LinkText != "" || len(a.state.Recent) != 0 {
				t.Errorf("round %d: the ended meeting is still offered (link %q, %d recent)", round, a.state.LinkText, len(a.state.Recent))
			}
		})

		select {
		case r := <-bot:
			if r.State != "failed" || !strings.Contains(r.Error, "ended") {
				t.Errorf("round %d: Ken's call ended as %q (%s), not by the host ending it", round, r.State, r.Error)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("round %d: Ken is still in the meeting (hosting %v)", round, m.Hosting())
			r := <-bot
			t.Fatalf("round %d: Ken's call ended later as %q (%s)", round, r.State, r.Error)
		}
		waitFor(t, "the host to stop", func() bool { return !m.Hosting() })
		if listening(addr) {
			t.Errorf("round %d: %s still listens after the meeting ended", round, addr)
		}
	}
}

// TestHostingEndsWhenNotJoined: New meeting, then Back from the lobby:
// nobody attends it, so it must not listen.
func TestHostingEndsWhenNotJoined(t *testing.T) {
	a, m := hostingApp(t, i18n.Japanese)
	tap(button(a, a.tr.T("home.new")))
	waitFor(t, "the lobby", func() bool { return a.state.Screen == ScreenLobby })
	addr := m.Addr()
	tap(button(a, a.tr.T("join.back")))
	waitFor(t, "the host to stop", func() bool { return !m.Hosting() })
	if addr == "" || listening(addr) {
		t.Errorf("the meeting nobody joined still listens (%q)", addr)
	}
}

// TestQuitWhileHosting: closing the window during a hosted meeting asks
// first, in the host's words; confirming leaves and ends it.
func TestQuitWhileHosting(t *testing.T) {
	a, m := hostingApp(t, i18n.TraditionalChinese)
	startHosting(t, a)
	ui(a.closeWindow)
	if !overlayShows(a, a.tr.T("close.confirm_hosted")) {
		t.Fatal("closing the window while hosting did not ask")
	}
	typeKey(a, fyne.KeyEscape)
	if callOf(a) == nil {
		t.Fatal("cancelling the close left the call")
	}
	ui(a.closeWindow)
	typeKey(a, fyne.KeyReturn)
	waitFor(t, "the meeting to end", func() bool { return a.state.Call == nil && !m.Hosting() })
}

// TestUnjoinableLinkKeepsCall: a Jitsi link handed over during a call is
// explained (with Open in browser) and the call goes on.
func TestUnjoinableLinkKeepsCall(t *testing.T) {
	a, _ := joinHosted(t, "jitsi")
	c := callOf(a)
	ui(func() { a.OpenLink("https://meet.jit.si/SomeRoom") })
	if callOf(a) != c || screenOf(a) != ScreenCall {
		t.Fatal("an unjoinable link ended the call")
	}
	if !overlayShows(a, "Kaigi cannot join Jitsi Meet meetings yet") || !overlayShows(a, a.tr.T("link.open_browser")) {
		t.Error("the Jitsi link is not explained with Open in browser")
	}
	typeKey(a, fyne.KeyEscape)
	if on(func() bool { return a.modal != nil }) {
		t.Error("Esc did not close the message")
	}
}

// TestLateJoinerSeesMutes: whoever joins after someone muted sees them
// muted, on the tile and in the people list.
func TestLateJoinerSeesMutes(t *testing.T) {
	h, err := host.New(host.Config{Listen: "127.0.0.1:0", Insecure: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	if err := h.CreateGroup("late"); err != nil {
		t.Fatal(err)
	}
	go h.Serve(context.Background())
	invite, _ := h.InviteLink("late")
	l, _ := link.Parse(invite)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go headless.Run(ctx, headless.Options{Link: l, Name: "Ken", Duration: 30 * time.Second, Dial: galene.Dial, StartAudioMuted: true})
	time.Sleep(time.Second) // Ken has joined, muted, his camera on

	a := newTestApp(t, Options{FakeMedia: true, Join: galeneJoin})
	ui(func() { a.state.Name = "Aiko"; a.openLobby(l) })
	tap(button(a, "Join now"))
	waitFor(t, "the call", func() bool { return a.state.Call != nil })
	c := callOf(a)
	var ken *person
	waitFor(t, "Ken's video", func() bool {
		for _, p := range c.people {
			if p.Name == "Ken" && p.HasVideo {
				ken = p
			}
		}
		return ken != nil
	})
	time.Sleep(time.Second) // his audio track has arrived too
	var audio, video bool
	ui(func() { audio, video = ken.AudioMuted, ken.VideoMuted })
	if !audio || video {
		t.Errorf("Ken joined muted with his camera on, but we see audio muted %v, video muted %v", audio, video)
	}
}

// TestSettingsEsc: Esc closes Settings, back to where it was opened.
func TestSettingsEsc(t *testing.T) {
	a := newTestApp(t, Options{})
	tap(button(a, a.tr.T("home.settings")))
	if screenOf(a) != ScreenSettings {
		t.Fatal("Settings did not open")
	}
	typeKey(a, fyne.KeyEscape)
	if screenOf(a) != ScreenHome {
		t.Error("Esc did not close Settings")
	}
}

// TestLobbyWithoutCamera: no camera and no microphone (as on this
// machine without --fake-media): the boxes are not ticked and cannot be,
// and the message has room to wrap.
func TestLobbyWithoutCamera(t *testing.T) {
	for _, l := range i18n.All {
		a := newTestApp(t, Options{Lang: l})
		ui(func() {
			a.win.Resize(fyne.NewSize(1000, 700))
			a.state.Lobby.CamID, a.state.Lobby.MicID = "no-such-camera", "no-such-microphone"
			lk, _ := link.Parse("https://galene.example.org/group/weekly/")
			a.openLobby(lk)
		})
		var camBox, micBox *widget.Check
		var msg *widget.Label
		var camOK, micOK, msgOK bool
		ui(func() {
			walk(a.win.Content(), func(o fyne.CanvasObject) {
				switch w := o.(type) {
				case *widget.Check:
					if w.Text == a.tr.T("lobby.cam_on") {
						camBox = w
					}
					if w.Text == a.tr.T("lobby.mic_on") {
						micBox = w
					}
				case *widget.Label:
					if w.Text == a.tr.T("lobby.no_camera") && msg == nil {
						msg = w
					}
				case *wrapLabel:
					if w.text == a.tr.T("lobby.no_camera") && msg == nil {
						msg = &w.Label
					}
				}
			})
			camOK = camBox != nil && !camBox.Checked && camBox.Disabled()
			micOK = micBox != nil && !micBox.Checked && micBox.Disabled()
			msgOK = msg != nil && msg.Size().Width >= 200
		})
		if !camOK {
			t.Errorf("%s: without a camera, Camera on is ticked or can be", l)
		}
		if !micOK {
			t.Errorf("%s: without a microphone, Microphone on is ticked or can be", l)
		}
		if !msgOK {
			t.Errorf("%s: the no-camera message has no room to wrap (%v)", l, msg)
		}
		ui(a.stopPreview)
	}
}

// overlayShows says whether the dialog on top shows text (in a label).
func overlayShows(a *App, text string) bool {
	found := false
	ui(func() {
		top := a.win.Canvas().Overlays().Top()
		if top == nil {
			return
		}
		walk(top, func(o fyne.CanvasObject) {
			switch w := o.(type) {
			case *widget.Label:
				found = found || strings.Contains(w.Text, text)
			case *wrapLabel:
				found = found || strings.Contains(w.text, text)
			case *widget.Button:
				found = found || w.Text == text
			}
		})
	})
	return found
}

// stoppingCamera is a stand-in for a camera that is unplugged mid-call (no
// camera exists on the test machines): a few frames, then an error.
type stoppingCamera struct{ frames int }

func (s *stoppingCamera) Size() (int, int) { return 320, 240 }
func (s *stoppingCamera) FPS() int         { return 30 }
func (s *stoppingCamera) Close() error     { return nil }
func (s *stoppingCamera) ReadFrame(ctx context.Context, dst []byte) error {
	if s.frames <= 0 {
		return errors.New("device unplugged")
	}
	s.frames--
	time.Sleep(30 * time.Millisecond)
	return nil
}

// TestCameraStopsMidCall: the camera stops during a call: a banner says so
// and what to do, in each language; the others see initials; the call
// goes on with sound.
func TestCameraStopsMidCall(t *testing.T) {
	a, l := joinHosted(t, "unplugged")
	c := callOf(a)
	bot := make(chan headless.Result, 1)
	go func() {
		r, _ := headless.Run(context.Background(), headless.Options{Link: l, Name: "Ken", Duration: 8 * time.Second, Dial: galene.Dial})
		bot <- r
	}()
	waitFor(t, "Ken", func() bool { return c.m.Len() == 2 })
	local := on(func() *media.Local { return c.local })
	if err := local.SwitchCamera(&stoppingCamera{frames: 10}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the banner", func() bool { return c.camDown })
	for _, lang := range i18n.All {
		ui(func() { a.SetLang(lang) })
		if !shows(a, a.tr.T("call.camera_stopped")) {
			t.Errorf("%s: no banner for the stopped camera", lang)
		}
	}
	ui(func() { a.SetLang(i18n.English) })
	sent := local.Stats().AudioPackets
	time.Sleep(time.Second)
	if local.Stats().AudioPackets <= sent || callOf(a) != c {
		t.Error("the call did not go on with sound")
	}
	r := <-bot
	var me headless.Peer
	for _, p := range r.Peers {
		if p.Name == "Aiko" {
			me = p
		}
	}
	if !me.VideoMuted || me.AudioLevel == 0 {
		t.Errorf("Ken saw us with video muted %v and sound level %v: want initials and sound", me.VideoMuted, me.AudioLevel)
	}
}

// TestVideoPausedBySlowNetwork: congestion control's estimate falls below
// what the lowest picture needs (a synthetic camera stands in for a real
// one; the estimate is set as the congestion controller sets it): the
// video pauses and a banner says why, in each language; when the
// estimate recovers the video and the screen come back.
func TestVideoPausedBySlowNetwork(t *testing.T) {
	a := newTestApp(t, Options{})
	c := testCall(a)
	local, err := media.NewFakeLocal(640, 480, 30, 440)
	if err != nil {
		t.Fatal(err)
	}
	defer local.Close()
	ui(func() { c.local = local; a.state.Call, a.state.Screen = c, ScreenCall; a.show() })
	follow := func(bps int, want bool) bool {
		deadline := time.Now().Add(15 * time.Second)
		for time.Now().Before(deadline) {
			local.SetVideoBitrate(bps)
			var paused bool
			ui(func() { a.checkDevices(c); paused = c.netPaused })
			if paused == want {
				return true
			}
			time.Sleep(100 * time.Millisecond)
		}
		return false
	}
	if !follow(60_000, true) {
		t.Fatalf("60 kb/s did not pause the video: %+v", local.Stats())
	}
	for _, lang := range i18n.All {
		ui(func() { a.SetLang(lang) })
		if !shows(a, a.tr.T("call.video_paused")) {
			t.Errorf("%s: no banner for the paused video", lang)
		}
	}
	ui(func() { a.SetLang(i18n.English) })
	if !follow(2_000_000, false) {
		t.Fatalf("2 Mb/s did not bring the video back: %+v", local.Stats())
	}
	if shows(a, a.tr.T("call.video_paused")) {
		t.Error("the banner stayed after the video came back")
	}
}
