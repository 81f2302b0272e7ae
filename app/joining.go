package app

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaigi/media"
	"kaigi/room"
	"kaigi/room/link"
)

// joinTimeout bounds a join attempt as the user sees it.
const joinTimeout = 30 * time.Second

// joiningScreen: connecting (with Cancel), or why joining failed (with
// Try again), or the password the meeting asks for.
func (a *App) joiningScreen() fyne.CanvasObject {
	s := a.state
	where := a.label(title(s.Link), fyne.TextStyle{Bold: true})
	where.Alignment = fyne.TextAlignCenter
	var box *fyne.Container
	switch {
	case s.NeedsPass:
		prompt := a.wrapped(a.tr.T("join.password.prompt"))
		pass := newPasswordEntry()
		pass.SetPlaceHolder(a.tr.T("join.password"))
		pass.SetText(s.Password)
		pass.OnChanged = func(t string) { s.Password = t }
		submit := func() { s.NeedsPass = false; a.startJoin(s.Link) }
		pass.OnSubmitted = func(string) { submit() }
		ok := widget.NewButtonWithIcon(a.tr.T("home.join"), theme.LoginIcon(), submit)
		ok.Importance = widget.HighImportance
		back := widget.NewButton(a.tr.T("join.back"), a.backHome)
		box = container.NewVBox(where, prompt, pass, container.NewGridWithColumns(2, back, ok))
	case s.JoinError != nil:
		// A call that ended is not a join that failed; and where trying
		// again cannot help, going home is the one way on.
		headKey, icon := "join.failed", theme.ErrorIcon()
		switch {
		case s.CallLost && s.JoinError.Final:
			headKey, icon = "call.ended_title", theme.InfoIcon()
		case s.CallLost:
			headKey = "call.lost_title"
		}
		head := a.label(a.tr.T(headKey), fyne.TextStyle{Bold: true})
		head.Alignment = fyne.TextAlignCenter
		msg := a.wrapped(a.problemText(s.JoinError))
		msg.Alignment = fyne.TextAlignCenter
		if !s.JoinError.Final {
			msg.Importance = widget.DangerImportance
		}
		back := widget.NewButton(a.tr.T("join.home"), a.backHome)
		buttons := container.NewGridWithColumns(1, back)
		if s.JoinError.Final {
			back.Importance = widget.HighImportance
		} else {
			retryKey := "join.retry"
			if s.CallLost {
				retryKey = "join.rejoin"
			}
			retry := widget.NewButtonWithIcon(a.tr.T(retryKey), theme.ViewRefreshIcon(), func() { a.openLobby(s.Link) })
			retry.Importance = widget.HighImportance
			buttons = container.NewGridWithColumns(2, back, retry)
		}
		box = container.NewVBox(widget.NewIcon(icon), head, where, msg)
		if len(s.UnsentChat) > 0 {
			box.Add(a.unsentChat(s.UnsentChat, !s.JoinError.Final))
		}
		box.Add(buttons)
	default:
		head := widget.NewLabelWithStyle(a.tr.T("join.connecting"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
		cancel := widget.NewButton(a.tr.T("join.cancel"), a.backHome)
		box = container.NewVBox(head, where, a.spinner(), container.NewCenter(cancel))
	}
	body := container.New(&maxWidth{Width: 460}, box)
	return container.NewBorder(a.topBar(), nil, nil, nil,
		container.NewCenter(container.NewHBox(layout.NewSpacer(), body, layout.NewSpacer())))
}

// startJoin joins l in the background; the joining screen shows progress.
func (a *App) startJoin(l link.Link) {
	s := a.state
	if s.cancel != nil {
		s.cancel()
	}
	s.Link, s.JoinError, s.CallLost, s.Screen = l, nil, false, ScreenJoining
	a.show()
	if a.opts.Join == nil {
		s.JoinError = roomProblem(room.ErrUnsupported)
		a.show()
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), joinTimeout)
	s.cancel = cancel
	a.joinStarted = time.Now()
	local := a.takePreview()
	if local == nil && s.Lobby.local == nil {
		local, _, _ = openLocal(a.opts.FakeMedia, s.Lobby.CamID, s.Lobby.MicID, true, true, a.processing())
	}
	remote, err := media.NewRemote(media.RemoteConfig{Playback: !a.opts.Speakerless && !a.opts.FakeMedia, Speaker: s.Lobby.SpkID,
		Processing: a.processing()})
	if err != nil {
		// No speaker: join anyway, hearing nothing, and say so.
		remote, _ = media.NewRemote(media.RemoteConfig{})
		a.notify(a.tr.T("lobby.no_speaker"))
	}
	opts := room.JoinOptions{Link: l, Name: s.Name, Password: s.Password, Passphrase: s.Passphrase, Remote: remote,
		StartAudioMuted: !s.Lobby.MicOn, StartVideoMuted: !s.Lobby.CamOn}
	if local != nil {
		opts.Local = local
	}
	if s.hosts(l) && a.opts.HostToken != nil {
		// We host it: join with the host's token, which lets us run the
		// meeting (the invite shown and copied keeps the guests' token).
		if t := a.opts.HostToken(s.Hosted.invite); t != "" {
			opts.Link.Token = t
		}
	}
	release := func() {
		remote.Close()
		if local != nil {
			local.Close()
		}
	}
	a.landing.start()
	go func() {
		sess, err := a.opts.Join(ctx, opts)
		if !a.landing.arrive(sess, release) {
			return // abandoned meanwhile: left already
		}
		fyne.Do(func() {
			a.landing.taken(sess)
			if ctx.Err() == context.Canceled {
				// The user cancelled; a session that made it anyway is left.
				go func() {
					if sess != nil {
						sess.Leave()
					}
					release()
				}()
				return
			}
			cancel()
			s.cancel = nil
			switch {
			case err == nil:
				a.enterCall(sess, local, remote)
			case errors.Is(err, room.ErrPasswordNeeded):
				go release()
				s.NeedsPass = true
				a.show()
			default:
				go release()
				s.JoinError = roomProblem(err)
				a.show()
			}
		})
	}()
}

func (a *App) backHome() {
	s := a.state
	if s.cancel != nil {
		s.cancel()
		s.cancel = nil
	}
	s.JoinError, s.NeedsPass, s.UnsentChat = nil, false, nil
	if s.Call == nil {
		a.endHosted()
	}
	a.goTo(ScreenHome)
}

// unsentChat lists the chat a lost call could not send, selectable so it
// can be copied; rejoin says it goes out on rejoining.
func (a *App) unsentChat(texts []string, rejoin bool) fyne.CanvasObject {
	head := a.label(a.tr.Tf("call.unsent", map[string]any{"Count": len(texts)}), fyne.TextStyle{Bold: true})
	box := container.NewVBox(head)
	for _, t := range texts {
		l := a.wrapped(t)
		l.Selectable = true
		box.Add(l)
	}
	if rejoin {
		box.Add(a.wrapped(a.tr.T("call.unsent_rejoin")))
	}
	return box
}
