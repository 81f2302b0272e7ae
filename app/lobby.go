package app

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaigi/media"
	"kaigi/room/link"
)

// openLobby shows the pre-join check for l: camera preview, microphone
// meter, device choices, name, and whether to start muted.
func (a *App) openLobby(l link.Link) {
	s := a.state
	s.Link, s.JoinError, s.NeedsPass = l, nil, false
	s.Passphrase = l.Passphrase
	s.Lobby.Devices = listDevices()
	a.startPreview()
	a.goTo(ScreenLobby)
	if s.autoJoin || a.opts.SkipLobby {
		s.autoJoin = false
		a.joinFromLobby()
	}
}

// startPreview (re)opens the chosen camera and microphone for the preview.
func (a *App) startPreview() {
	lb := &a.state.Lobby
	a.stopPreview()
	lb.local, lb.camErr, lb.micErr = openLocal(a.opts.FakeMedia, lb.CamID, lb.MicID, true, true, a.processing())
	if lb.preview == nil {
		lb.preview = newVideoTile()
	}
	if lb.local != nil {
		lb.local.SetPreview(lb.preview)
	}
	lb.stopMeter = make(chan struct{})
	go func(stop chan struct{}, local *media.Local) {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				if local == nil {
					continue
				}
				level := local.AudioLevel()
				fyne.Do(func() {
					if lb.meter != nil {
						lb.meter.SetLevel(level * 4)
					}
				})
			}
		}
	}(lb.stopMeter, lb.local)
}

// stopPreview ends the preview; keep says the media goes on into the call.
func (a *App) stopPreview() {
	lb := &a.state.Lobby
	if lb.stopMeter != nil {
		close(lb.stopMeter)
		lb.stopMeter = nil
	}
	if lb.local != nil {
		lb.local.SetPreview(nil)
		// Closed before the next preview opens the same camera again (a
		// camera is busy until closed). Close closes the devices first,
		// so it cannot hang on a blocked read.
		lb.local.Close()
		lb.local = nil
	}
}

// takePreview hands the preview's media to the call.
func (a *App) takePreview() *media.Local {
	lb := &a.state.Lobby
	if lb.stopMeter != nil {
		close(lb.stopMeter)
		lb.stopMeter = nil
	}
	l := lb.local
	lb.local = nil
	if l != nil {
		l.SetPreview(nil)
	}
	return l
}

func (a *App) lobbyScreen() fyne.CanvasObject {
	s := a.state
	lb := &s.Lobby
	head := widget.NewLabelWithStyle(a.tr.T("lobby.title"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	where := widget.NewLabelWithStyle(title(s.Link), fyne.TextAlignCenter, fyne.TextStyle{})

	// Preview, or why there is none. Without a device, its box is not
	// ticked and cannot be: what the lobby says and shows agree.
	hasCam := lb.local != nil && lb.local.VideoTrack() != nil
	hasMic := lb.local != nil && lb.local.AudioTrack() != nil
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bg.SetMinSize(fyne.NewSize(480, 270))
	var overlay fyne.CanvasObject = layout.NewSpacer()
	switch {
	case !hasCam:
		// A wrapped label needs a width to wrap at: a centred one gets none
		// and wraps one character per line.
		msg := a.wrapped(a.tr.T("lobby.no_camera"))
		msg.Alignment = fyne.TextAlignCenter
		overlay = container.NewVBox(layout.NewSpacer(), container.NewPadded(msg), layout.NewSpacer())
	case !lb.CamOn:
		overlay = container.NewCenter(widget.NewLabel(a.tr.T("lobby.camera_off")))
	}
	video := fyne.CanvasObject(lb.preview.img)
	if !lb.CamOn || !hasCam {
		video = layout.NewSpacer()
	}
	preview := container.NewStack(bg, video, overlay)

	lb.meter = newLevelMeter()

	micOn := widget.NewCheck(a.tr.T("lobby.mic_on"), func(v bool) {
		if hasMic {
			lb.MicOn = v
			a.prefs.p.SetBool(prefMicOn, v)
		}
	})
	micOn.SetChecked(lb.MicOn && hasMic)
	camOn := widget.NewCheck(a.tr.T("lobby.cam_on"), func(v bool) {
		if hasCam && v != lb.CamOn {
			lb.CamOn = v
			a.prefs.p.SetBool(prefCamOn, v)
			go fyne.Do(a.show)
		}
	})
	camOn.SetChecked(lb.CamOn && hasCam)
	if !hasMic {
		micOn.Disable()
	}
	if !hasCam {
		camOn.Disable()
	}

	nameEntry := newTextEntry()
	nameEntry.SetPlaceHolder(a.tr.T("home.name.placeholder"))
	nameEntry.SetText(s.Name)
	nameEntry.OnChanged = func(t string) { s.Name = t }

	form := container.NewVBox(
		a.label(a.tr.T("home.name.label"), fyne.TextStyle{Bold: true}), nameEntry,
		a.devicePicker("lobby.camera", lb.Devices.cams, &lb.CamID, prefCamera, hasCam, "lobby.no_camera"),
		a.devicePicker("lobby.microphone", lb.Devices.mics, &lb.MicID, prefMicrophone, hasMic, "lobby.no_microphone"),
		lb.meter,
		a.devicePicker("lobby.speaker", lb.Devices.speakers, &lb.SpkID, prefSpeaker, len(lb.Devices.speakers) > 0 || a.opts.FakeMedia, "lobby.no_speaker"),
		widget.NewButtonWithIcon(a.tr.T("lobby.test_sound"), theme.VolumeUpIcon(), func() {
			go func() {
				if err := media.PlayTestSound(lb.SpkID); err != nil {
					fyne.Do(func() { a.notify(a.tr.T("lobby.no_speaker")) })
				}
			}()
		}),
		container.NewHBox(micOn, camOn),
		a.processingChecks(),
	)
	if s.Link.Kind == link.LiveKit || s.Link.Kind == link.LiveKitMeet {
		// LiveKit rooms may be end-to-end encrypted with a passphrase
		// that the link does not carry.
		pass := newPasswordEntry()
		pass.SetText(s.Passphrase)
		pass.OnChanged = func(t string) { s.Passphrase = t }
		form.Add(a.label(a.tr.T("lobby.passphrase"), fyne.TextStyle{Bold: true}))
		form.Add(pass)
	}
	join := widget.NewButtonWithIcon(a.tr.T("lobby.join"), theme.LoginIcon(), a.joinFromLobby)
	join.Importance = widget.HighImportance
	back := widget.NewButton(a.tr.T("join.back"), func() { a.stopPreview(); a.backHome() })
	left := container.NewVBox(head, where, preview)
	right := container.New(&maxWidth{Width: 360}, container.NewVBox(form, container.NewGridWithColumns(2, back, join)))
	body := container.NewHBox(layout.NewSpacer(), container.NewPadded(left), container.NewPadded(right), layout.NewSpacer())
	return container.NewBorder(a.topBar(), nil, nil, nil, container.NewVScroll(container.NewCenter(body)))
}

// devicePicker is a labelled choice of devices with the system default
// first; a missing device (working says whether one is in use) is said,
// not hidden.
func (a *App) devicePicker(key string, list []media.Device, chosen *string, pref string, working bool, missingKey string) fyne.CanvasObject {
	box := container.NewVBox(a.label(a.tr.T(key), fyne.TextStyle{Bold: true}))
	if !working {
		miss := a.wrapped(a.tr.T(missingKey))
		miss.Importance = widget.WarningImportance
		box.Add(miss)
		if len(list) == 0 {
			return box
		}
	}
	names := []string{a.tr.T("lobby.default_device")}
	ids := []string{""}
	for _, d := range list {
		names = append(names, d.Name)
		ids = append(ids, d.ID)
	}
	sel := widget.NewSelect(names, nil)
	for i, id := range ids {
		if id == *chosen {
			sel.SetSelectedIndex(i)
		}
	}
	if sel.SelectedIndex() < 0 {
		sel.SetSelectedIndex(0)
	}
	sel.OnChanged = func(string) {
		id := ids[sel.SelectedIndex()]
		if id == *chosen {
			return
		}
		*chosen = id
		a.prefs.p.SetString(pref, id)
		if a.state.Screen == ScreenLobby {
			go fyne.Do(func() { a.startPreview(); a.show() })
		}
	}
	box.Add(sel)
	return box
}

// joinFromLobby joins with the previewed media.
func (a *App) joinFromLobby() {
	s := a.state
	if s.Name == "" {
		return
	}
	a.prefs.setName(s.Name)
	a.startJoin(s.Link)
}
