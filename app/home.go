package app

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaigi/assets"
	"kaigi/i18n"
	"kaigi/room/e2ee"
	"kaigi/room/link"
)

var iconResource = fyne.NewStaticResource("icon.png", assets.Icon)

// homeScreen: paste a link, give a name, join; start a new meeting; the
// recent meetings.
func (a *App) homeScreen() fyne.CanvasObject {
	s := a.state
	// What was wrong with a link goes as soon as the link is edited.
	problemBox := container.NewVBox()
	if s.Problem != nil {
		problemBox.Add(a.problemView(s.Problem))
	}
	clearProblem := func() {
		if s.Problem != nil {
			s.Problem = nil
			problemBox.RemoveAll()
		}
	}
	linkEntry := newTextEntry()
	linkEntry.SetPlaceHolder(a.tr.T("home.link.placeholder"))
	linkEntry.SetText(s.LinkText)
	linkEntry.OnChanged = func(t string) { s.LinkText = t; clearProblem() }
	linkEntry.OnSubmitted = func(string) { a.join() }

	nameEntry := newTextEntry()
	nameEntry.SetPlaceHolder(a.tr.T("home.name.placeholder"))
	nameEntry.SetText(s.Name)
	nameEntry.OnChanged = func(t string) {
		s.Name = t
		if s.Problem != nil && s.Problem.Key == "home.name.needed" {
			clearProblem()
		}
	}
	nameEntry.OnSubmitted = func(string) { a.join() }

	join := widget.NewButtonWithIcon(a.tr.T("home.join"), theme.LoginIcon(), a.join)
	join.Importance = widget.HighImportance
	if s.Probing {
		join.Disable()
	}

	form := container.NewVBox(
		a.label(a.tr.T("home.link.label"), fyne.TextStyle{Bold: true}),
		linkEntry,
		a.label(a.tr.T("home.name.label"), fyne.TextStyle{Bold: true}),
		nameEntry,
	)
	form.Add(problemBox)
	if s.Probing {
		form.Add(a.spinner())
	}
	form.Add(join)

	icon := canvas.NewImageFromResource(iconResource)
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSize(72, 72))
	name := canvas.NewText(a.tr.T("app.name"), theme.Color(theme.ColorNameForeground))
	name.TextSize = 32
	name.TextStyle = fyne.TextStyle{Bold: true}
	name.Alignment = fyne.TextAlignCenter
	tagline := a.wrapped(a.tr.T("home.tagline"))
	tagline.Alignment = fyne.TextAlignCenter

	card := container.NewVBox(container.NewCenter(icon), name, tagline, widget.NewSeparator(), form)
	if a.opts.NewMeeting != nil {
		newMeeting := widget.NewButtonWithIcon(a.tr.T("home.new"), theme.ContentAddIcon(), a.newMeeting)
		hint := a.wrapped(a.tr.T("home.new.hint"))
		hint.Importance = widget.LowImportance
		encrypted := widget.NewCheck(a.tr.T("home.new.e2ee"), func(on bool) { a.state.NewEncrypted = on })
		encrypted.Checked = a.state.NewEncrypted
		card.Add(widget.NewSeparator())
		card.Add(newMeeting)
		card.Add(encrypted)
		card.Add(hint)
	}

	left := container.New(&maxWidth{Width: 440}, card)
	right := container.New(&maxWidth{Width: 360}, a.recentView())
	body := container.NewHBox(layout.NewSpacer(), container.NewPadded(left), container.NewPadded(right), layout.NewSpacer())
	// Top-aligned, not centred: a message appearing in the form must not
	// move everything above it.
	return container.NewBorder(a.topBar(), nil, nil, nil, container.NewVScroll(container.NewVBox(body)))
}

// topBar holds the language picker and the way to settings, on every
// screen that has no other way out.
func (a *App) topBar() fyne.CanvasObject {
	settings := widget.NewButtonWithIcon(a.tr.T("home.settings"), theme.SettingsIcon(), a.openSettings)
	settings.Importance = widget.LowImportance
	return container.NewPadded(container.NewHBox(layout.NewSpacer(), a.languagePicker(), settings))
}

// languagePicker shows each language in its own name.
func (a *App) languagePicker() *widget.Select {
	var names []string
	byName := map[string]i18n.Lang{}
	for _, l := range i18n.All {
		n := a.tr.T(langKeys[l])
		names = append(names, n)
		byName[n] = l
	}
	sel := widget.NewSelect(names, nil)
	sel.SetSelected(a.tr.T(langKeys[a.tr.Lang()]))
	sel.OnChanged = func(n string) {
		if l := byName[n]; l != a.tr.Lang() {
			// Rebuilding the window from inside the Select's own callback
			// would tear down the widget mid-event.
			go fyne.Do(func() { a.SetLang(l) })
		}
	}
	return sel
}

var langKeys = map[i18n.Lang]string{
	i18n.English:            "lang.en",
	i18n.Japanese:           "lang.ja",
	i18n.TraditionalChinese: "lang.zh_TW",
}

func (a *App) recentView() fyne.CanvasObject {
	title := a.label(a.tr.T("home.recent"), fyne.TextStyle{Bold: true})
	box := container.NewVBox(title)
	if len(a.state.Recent) == 0 {
		empty := a.wrapped(a.tr.T("home.recent.empty"))
		empty.Importance = widget.LowImportance
		box.Add(empty)
		return box
	}
	now := time.Now()
	for _, r := range a.state.Recent {
		r := r
		open := widget.NewButton(r.Title, func() {
			a.state.LinkText = r.URL
			a.join()
		})
		open.Alignment = widget.ButtonAlignLeading
		when := widget.NewLabel(a.ago(now.Sub(r.When)))
		when.Importance = widget.LowImportance
		remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
			a.state.removeRecent(r.URL)
			a.prefs.setRecent(a.state.Recent)
			a.show()
		})
		remove.Importance = widget.LowImportance
		// The delete button sits on the title's line; when it was, below.
		box.Add(container.NewVBox(container.NewBorder(nil, nil, nil, remove, open), when))
	}
	return box
}

// ago says how long ago something was, in words.
func (a *App) ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return a.tr.T("time.just_now")
	case d < time.Hour:
		return a.tr.N("time.minutes_ago", int(d/time.Minute), nil)
	case d < 24*time.Hour:
		return a.tr.N("time.hours_ago", int(d/time.Hour), nil)
	}
	return a.tr.N("time.days_ago", int(d/(24*time.Hour)), nil)
}

// problemView shows a problem in words, with "Open in browser" for closed
// services.
func (a *App) problemView(p *problem) fyne.CanvasObject {
	msg := a.wrapped(a.problemText(p))
	msg.Importance = widget.DangerImportance
	if p.BrowserURL == "" {
		return msg
	}
	open := widget.NewButtonWithIcon(a.tr.T("link.open_browser"), theme.ComputerIcon(), func() { a.openURL(p.BrowserURL) })
	return container.NewVBox(msg, open)
}

func (a *App) problemText(p *problem) string {
	data := map[string]any{}
	if p.ServiceKey != "" {
		data["Service"] = a.tr.T(p.ServiceKey)
	}
	if p.Detail != "" {
		data["Detail"] = p.Detail
	}
	return a.tr.Tf(p.Key, data)
}

// join reads the link and the name and goes to the joining screen, or
// says why it cannot.
func (a *App) join() {
	s := a.state
	s.Problem = nil
	l, err := link.Parse(s.LinkText)
	var le *link.Error
	if errors.As(err, &le) && le.Reason == link.NotAMeeting && strings.Contains(s.LinkText, "://") {
		a.probe(le.Text)
		return
	}
	if p := linkProblem(l, err); p != nil {
		s.Problem = p
		a.show()
		return
	}
	if strings.TrimSpace(s.Name) == "" {
		s.Problem = &problem{Key: "home.name.needed"}
		a.show()
		return
	}
	s.Name = strings.TrimSpace(s.Name)
	a.prefs.setName(s.Name)
	s.addRecent(l, time.Now())
	a.prefs.setRecent(s.Recent)
	a.openLobby(l)
}

// probe asks the web server behind a link Kaigi does not recognise what it
// is (a self-hosted Jitsi, a WHIP endpoint), then says so.
func (a *App) probe(raw string) {
	a.state.Probing = true
	a.show()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 6*time.Second)
		defer cancel()
		l, err := link.Probe(ctx, http.DefaultClient, raw)
		fyne.Do(func() {
			a.state.Probing = false
			a.state.Problem = linkProblem(l, err)
			a.show()
		})
	}()
}

func (a *App) newMeeting() {
	a.state.Problem = nil
	go func() {
		u, err := a.opts.NewMeeting(context.Background())
		fyne.Do(func() {
			if err != nil {
				a.state.Problem = roomProblem(err)
				a.show()
				return
			}
			a.endHosted() // a meeting made before and not attended
			if a.state.NewEncrypted {
				// The key goes only into the invite's fragment: the
				// host forwards what it cannot read.
				u = link.WithKey(u, e2ee.NewSecret())
			}
			l, _ := link.Parse(u)
			a.state.Hosted = hostedMeeting{invite: u, url: l.URL}
			a.state.LinkText = u
			a.join()
		})
	}()
}

// endHosted ends the meeting this computer hosts, if any, so that it no
// longer listens on the network.
func (a *App) endHosted() {
	s := a.state
	h := s.Hosted
	s.Hosted = hostedMeeting{}
	if h.invite == "" {
		return
	}
	if a.opts.EndMeeting != nil {
		// The host waits for its connections to close: not on the UI thread.
		go a.opts.EndMeeting(h.invite)
	}
	// Its link leads nowhere now: not offered again.
	s.removeRecent(h.url)
	a.prefs.setRecent(s.Recent)
	if s.LinkText == h.invite {
		s.LinkText = ""
	}
}

// maxWidth lays out one column of a fixed width, so wrapped text has a
// width to wrap at.
type maxWidth struct{ Width float32 }

func (m *maxWidth) MinSize(objects []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objects {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(m.Width, h)
}

func (m *maxWidth) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Resize(fyne.NewSize(m.Width, size.Height))
		o.Move(fyne.NewPos(0, 0))
	}
}
