package app

import (
	"fmt"
	"os"
	"strings"
	"time"

	"kaigi/room"
	"kaigi/room/link"

	"fyne.io/fyne/v2"
)

// applySampleCall puts a new call in the state --screen asked for.
func (a *App) applySampleCall(c *callState) {
	switch a.state.sampleCall {
	case "speaker":
		c.speaker = true
	case "chat":
		// With a line of ours that could not be sent after a reconnection.
		c.m.SetChatOpen(true)
		time.AfterFunc(5*time.Second, func() {
			fyne.Do(func() {
				me := c.m.Person(c.selfID)
				a.onCallEvent(c, room.ChatMessage{ID: "sample", FromID: c.selfID, FromName: me.Name, Text: "Can you hear me? My network dropped.", Time: time.Now(), Sending: true})
				a.onCallEvent(c, room.ChatSent{ID: "sample", Err: room.ErrDisconnected})
			})
		})
	case "people":
		c.peopleOn = true
	case "reconnecting":
		// As the room would say it, once its own "connected" has come.
		time.AfterFunc(2*time.Second, func() {
			fyne.Do(func() { a.onCallEvent(c, room.StateEvent{State: room.Reconnecting}) })
		})
	case "devices":
		a.showDevices(c)
	case "leave":
		a.confirmLeave(c)
	case "hands":
		c.peopleOn = true
	case "host", "host-person":
		// Once the others are in: the host's menu, or the menu on the
		// first of them in the people list.
		c.peopleOn = c.peopleOn || a.state.sampleCall == "host-person"
		person := a.state.sampleCall == "host-person"
		time.AfterFunc(8*time.Second, func() { fyne.Do(func() { a.sampleMenu(c, person) }) })
	case "muted":
		// As the room says it when someone else hosting mutes us: the
		// first who joined, say.
		time.AfterFunc(8*time.Second, func() {
			fyne.Do(func() {
				if ids := c.m.IDs(); a.state.Call == c && len(ids) > 1 {
					a.onCallEvent(c, room.MutedByHost{By: c.m.Person(ids[1]).Name})
				}
			})
		})
	case "share-picker":
		// Once the people make screenshots brings in have joined.
		time.AfterFunc(9*time.Second, func() {
			fyne.Do(func() { a.openSharePicker(c) }) // ready once its thumbnails are drawn
		})
	case "sharing":
		// Once the people make screenshots brings in are there.
		go func() {
			for ready := false; !ready; time.Sleep(200 * time.Millisecond) {
				fyne.DoAndWait(func() { ready = c.m.Len() >= 3 })
			}
			fyne.DoAndWait(func() { a.sampleShare(c) })
			time.Sleep(2 * time.Second) // their videos
			a.sampleReady()
		}()
	case "share-received":
		// Ready once someone's share is on the stage with a picture.
		go func() {
			for ready := false; !ready; time.Sleep(200 * time.Millisecond) {
				fyne.DoAndWait(func() {
					p := c.m.Presenter()
					ready = p != "" && c.share.tiles[p] != nil && c.share.tiles[p].hasPicture()
				})
			}
			time.Sleep(time.Second) // a sharper picture than the first
			a.sampleReady()
		}()
	}
	a.state.sampleCall = ""
}

// sampleMenu opens the host's menu (or the first person's) as a tap on
// its button would: the button shown (the bar in words or the one in
// icons, whichever fits), or the first row's.
func (a *App) sampleMenu(c *callState, person bool) {
	if a.state.Call != c {
		return
	}
	if person {
		for _, b := range c.menuBtns {
			if b.Visible() && b.OnTapped != nil && b.Size().Width > 0 {
				b.OnTapped()
				return
			}
		}
		return
	}
	// The hidden bar is never laid out: its buttons sit at the top.
	var best *tipButton
	at := func(b *tipButton) float32 { return fyne.CurrentApp().Driver().AbsolutePositionForObject(b).Y }
	for _, b := range c.hostBtns {
		if best == nil || at(b) > at(best) {
			best = b
		}
	}
	if best != nil {
		best.OnTapped()
	}
}

// sampleState fills the state for `--screen`, which make screenshots uses
// to open each screen as a user would see it.
func (a *App) sampleState(screen string) {
	s := a.state
	if s.Name == "" && screen != "" {
		s.Name = "Aiko"
	}
	if screen != "" && len(s.Recent) == 0 {
		now := time.Now()
		for i, u := range []string{ // oldest first
			"https://192.168.1.20:8443/group/family/",
			"https://meet.livekit.io/rooms/design-review",
			"https://galene.example.org/group/weekly/",
		} {
			if l, err := link.Parse(u); err == nil {
				s.addRecent(l, now.Add(-time.Duration([]int{30, 8, 1}[i])*time.Hour))
			}
		}
	}
	switch screen {
	case "settings":
		s.Screen = ScreenSettings
	case "home-error":
		s.LinkText = "https://us02web.zoom.us/j/85412345678?pwd=abc"
		l, err := link.Parse(s.LinkText)
		s.Problem = linkProblem(l, err)
	case "joining":
		l, _ := link.Parse("https://galene.example.org/group/weekly/")
		s.Link, s.Screen = l, ScreenJoining
	case "lobby":
		l, _ := link.Parse("https://galene.example.org/group/weekly/")
		a.openLobby(l)
	case "lobby-nocam":
		// As on a machine without camera and microphone.
		a.opts.FakeMedia = false
		s.Lobby.CamID, s.Lobby.MicID = "none", "none"
		l, _ := link.Parse("https://galene.example.org/group/weekly/")
		a.openLobby(l)
	case "call", "call-speaker", "call-chat", "call-people", "call-devices", "call-leave",
		"call-reconnecting", "call-alone", "call-hands", "call-host", "call-host-person", "call-muted",
		"call-share-picker", "call-sharing", "call-share-received":
		// A live call: host a meeting and join it at once; make
		// screenshots brings in headless participants (but for
		// call-alone). The rest of the name is what to show in it.
		if a.opts.NewMeeting != nil {
			s.autoJoin = true
			s.sampleCall = strings.TrimPrefix(strings.TrimPrefix(screen, "call"), "-")
			a.newMeeting()
		}
	case "call-ended":
		l, _ := link.Parse("https://galene.example.org/group/weekly/")
		s.Link, s.Screen, s.CallLost = l, ScreenJoining, true
		s.JoinError = roomProblem(room.ErrEnded)
	case "call-lost":
		// Lost under us, with chat typed while it reconnected.
		l, _ := link.Parse("https://galene.example.org/group/weekly/")
		s.Link, s.Screen, s.CallLost = l, ScreenJoining, true
		s.JoinError = roomProblem(room.Fail(room.ErrUnreachable, nil, ""))
		s.UnsentChat = []string{"Can you hear me? My network dropped.", "資料は共有済みです。"}
	case "join-locked":
		l, _ := link.Parse("https://galene.example.org/group/weekly/")
		s.Link, s.Screen = l, ScreenJoining
		s.JoinError = roomProblem(room.ErrLocked)
	case "join-error":
		l, _ := link.Parse("https://galene.example.org/group/weekly/")
		s.Link, s.Screen = l, ScreenJoining
		s.JoinError = &problem{Key: "err.certificate"}
	}
}

// sampleReady tells make screenshots, on stderr, that the screen it asked
// for (--screen) is drawn, for screens that take a while (a share's
// pictures arriving): it waits for the line rather than guessing.
func (a *App) sampleReady() {
	if a.opts.Screen != "" {
		fmt.Fprintln(os.Stderr, sampleReadyLine)
	}
}

// sampleReadyLine is what sampleReady prints.
const sampleReadyLine = "kaigi: sample ready"
