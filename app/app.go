// Package app is Kaigi's user interface (Fyne): one file per screen, the
// state they show kept in State, and every screen rebuilt from that state,
// which is how a language switch takes effect at once without losing
// anything the user typed.
package app

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"kaigi/i18n"
	"kaigi/media"
	"kaigi/room"
	"kaigi/room/link"
)

// JoinFunc joins the meeting opts.Link leads to (the dialects are wired in
// by cmd/kaigi). It returns when connected, or with a *room.Error.
type JoinFunc func(ctx context.Context, opts room.JoinOptions) (room.Session, error)

// Options are what cmd/kaigi passes in.
type Options struct {
	Version string
	// Lang overrides the remembered language for this run ("" = none).
	Lang i18n.Lang
	// Link opens the app with this link and joins at once.
	Link string
	// Screen opens a given screen with sample state, for screenshots:
	// "home", "settings", "home-error", "joining".
	Screen string
	// Join joins meetings; nil means this build cannot join.
	Join JoinFunc
	// NewMeeting starts a meeting this computer hosts and returns its
	// invite link; nil hides "New meeting".
	NewMeeting func(ctx context.Context) (string, error)
	// EndMeeting ends a hosted meeting for everyone (by its invite link).
	EndMeeting func(invite string)
	// HostToken is the token with which this computer joins a meeting it
	// hosts (by its invite link), to run it: mute, remove, lock.
	HostToken func(invite string) string
	// FakeMedia sends the synthetic pattern and tone instead of the camera
	// and microphone (demos, screenshots, machines without devices).
	FakeMedia bool
	// Speakerless plays no sound (no audio output needed).
	Speakerless bool
	// Name is the display name to use (and remember); "" keeps the
	// remembered one.
	Name string
	// SkipLobby joins without the pre-join check, with the remembered
	// devices and choices.
	SkipLobby bool
	// TileStats, if set, is a file the call screen rewrites every second
	// with how many pictures each tile has drawn (for measurements).
	TileStats string
}

// App is the running user interface.
type App struct {
	fyne  fyne.App
	win   fyne.Window
	tr    *i18n.Translator
	prefs prefs
	opts  Options
	state *State

	// spinners are the busy bars of the screen shown. Each animates (and
	// so repaints the whole window) 60 times a second until stopped, even
	// after its screen is gone, so show stops them.
	spinners []*widget.ProgressBarInfinite
	// tips are the tooltips showing (see tipButton); show hides them.
	tips []*tipButton
	// screens counts screen builds, stages the call screen's stage
	// rebuilt alone (restage).
	screens, stages int
	// For --tile-stats (measure.go): when Join was pressed.
	joinStarted time.Time
	// uiGone closes when the window's loop has ended (Run returned):
	// work for the UI thread must stop, as Fyne would run it on the
	// caller's goroutine from then on.
	uiGone chan struct{}
	// toasts holds the notices showing (notify), over every screen.
	toasts *fyne.Container
	// landing holds joins whose session is not yet in the UI's hands;
	// leaving closes once the last call left has told its room.
	landing landing
	leaving <-chan struct{}
	// modal is the dialog showing (see dialogs.go).
	modal *modal
	// showThrottle bounds how often the room's events rebuild the
	// screen (showSoon), stageThrottle the call screen's stage alone.
	showThrottle, stageThrottle throttle
	// proc is the audio processing stage (see processing).
	proc *media.Processing
}

// spinner is a busy bar that stops when the screen is rebuilt.
func (a *App) spinner() *widget.ProgressBarInfinite {
	s := widget.NewProgressBarInfinite()
	a.spinners = append(a.spinners, s)
	return s
}

// New builds the app and its main window (not shown yet).
func New(fa fyne.App, opts Options) (*App, error) {
	p := prefs{fa.Preferences()}
	l := opts.Lang
	if l == "" {
		l = p.lang()
	}
	tr, err := i18n.New(l)
	if err != nil {
		return nil, err
	}
	a := &App{fyne: fa, tr: tr, prefs: p, opts: opts, state: newState(p), uiGone: make(chan struct{}),
		toasts: container.New(toastLayout{})}
	if opts.Name != "" {
		a.state.Name = opts.Name
		p.setName(opts.Name)
	}
	a.win = fa.NewWindow(tr.T("app.name"))
	a.win.Resize(fyne.NewSize(1000, 700))
	a.win.Canvas().SetOnTypedKey(a.typedKey)
	a.win.SetCloseIntercept(a.closeWindow)
	a.applyLang()
	a.sampleState(opts.Screen)
	a.show()
	if opts.Link != "" {
		a.state.LinkText = opts.Link
		a.join()
	}
	return a, nil
}

// OpenLink is a meeting link handed over by a later `kaigi LINK` (a link
// clicked elsewhere): the window comes to the front and joins — asking
// first when a meeting is going on. A link Kaigi cannot join does not end
// the meeting going on: it is only said why.
func (a *App) OpenLink(raw string) {
	a.win.RequestFocus()
	if raw == "" {
		return // `kaigi` again: just come to the front
	}
	c := a.state.Call
	if c == nil {
		a.state.LinkText = raw
		a.state.Screen = ScreenHome
		a.join()
		return
	}
	l, err := link.Parse(raw)
	var le *link.Error
	if errors.As(err, &le) && le.Reason == link.NotAMeeting && strings.Contains(raw, "://") {
		// Perhaps a self-hosted Jitsi or a WHIP endpoint: ask its server,
		// without leaving the call.
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 6*time.Second)
			defer cancel()
			pl, perr := link.Probe(ctx, http.DefaultClient, le.Text)
			fyne.Do(func() { a.offerSwitch(c, raw, pl, perr) })
		}()
		return
	}
	a.offerSwitch(c, raw, l, err)
}

// offerSwitch asks whether to leave call c for the link raw, or says why
// that link cannot be joined and stays in the call.
func (a *App) offerSwitch(c *callState, raw string, l link.Link, err error) {
	if a.state.Call != c {
		return
	}
	if p := linkProblem(l, err); p != nil {
		a.showProblemDialog(p)
		return
	}
	if l.URL == c.link.URL {
		return // already in it
	}
	msg := a.tr.T("call.switch")
	if c.hosted {
		msg = a.tr.T("call.switch_hosted")
	}
	a.confirm(a.tr.T("call.switch_title"), msg, a.tr.T("home.join"), func() {
		if a.state.Call != c {
			return
		}
		a.closeCall(c)
		a.endHosted()
		a.state.LinkText = raw
		a.state.Screen = ScreenHome
		a.join()
	})
}

// closeWindow: closing the window during a call asks first (above all
// while hosting, which ends the meeting for everyone), then leaves properly.
func (a *App) closeWindow() {
	c := a.state.Call
	if c == nil {
		a.Quit()
		return
	}
	msg := a.tr.T("close.confirm")
	if c.hosted {
		msg = a.tr.T("close.confirm_hosted")
	}
	a.confirm(a.tr.T("close.title"), msg, a.tr.T("close.quit"), a.Quit)
}

// quitWait bounds how long quitting waits for the room to hear we left.
const quitWait = 3 * time.Second

// Quit leaves the meeting going on (waiting until the room knows, at most
// quitWait, so others do not keep a frozen tile), ends a meeting this
// computer hosts, and closes the window, which ends the app. cmd/kaigi
// calls it on SIGTERM, SIGINT and SIGHUP too.
func (a *App) Quit() {
	left := a.leaveAll()
	go func() {
		waitLeft(left)
		fyne.Do(a.win.Close)
	}()
}

// Abandon is Quit for a window that is gone or going: the display went
// away (a logout), or the window's loop ended (Fyne ends it on SIGTERM
// itself, maybe before our Quit ran). It leaves and stops hosting as Quit
// does, on the calling goroutine, and returns once the room knows (at
// most quitWait) without touching the window. The caller then exits.
func (a *App) Abandon() {
	left := a.leaveAll()
	// A join whose session the UI thread has not taken yet (it never
	// will now) is left here.
	landed := a.landing.abandon()
	if !landed && (left == nil || isClosed(left)) {
		return
	}
	waitLeft(left)
	// The goodbye is written; an exit at once can still lose it: a
	// socket closed with unread data is reset, and the server may drop
	// what was in flight. Give it a moment to arrive.
	time.Sleep(abandonGrace)
}

// abandonGrace is how long Abandon lets the room's goodbye travel.
const abandonGrace = 300 * time.Millisecond

// leaveAll leaves the call, cancels a join under way, stops the preview
// and ends what this computer hosts; the channel closes once the room
// knows we left, this time or an earlier one (nil: never in a call).
func (a *App) leaveAll() <-chan struct{} {
	if c := a.state.Call; c != nil {
		a.leaving = a.closeCall(c)
	}
	if a.state.cancel != nil {
		a.state.cancel()
	}
	a.stopPreview()
	a.endHosted()
	return a.leaving
}

func isClosed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

func waitLeft(left <-chan struct{}) {
	if left == nil {
		return
	}
	select {
	case <-left:
	case <-time.After(quitWait):
	}
}

// Window is the main window.
func (a *App) Window() fyne.Window { return a.win }

// Run shows the window and runs until it closes.
func (a *App) Run() {
	defer close(a.uiGone)
	a.win.ShowAndRun()
}

// SetLang switches the language of every open window at once and
// remembers the choice.
func (a *App) SetLang(l i18n.Lang) {
	a.tr.SetLang(l)
	a.prefs.setLang(l)
	a.applyLang()
	a.show()
}

// applyLang points Fyne's own strings and the theme's fonts at the current
// language.
func (a *App) applyLang() {
	l := a.tr.Lang()
	if err := lang.AddTranslationsForLocale(i18n.FyneCatalog(l), lang.SystemLocale()); err != nil {
		fyne.LogError("fyne translations", err)
	}
	a.fyne.Settings().SetTheme(newTheme(l))
	a.win.SetTitle(a.tr.T("app.name"))
}

// show rebuilds the window's content from state.
func (a *App) show() {
	for _, s := range a.spinners {
		s.Stop()
	}
	a.spinners = nil
	for _, b := range a.tips {
		b.hideTip()
	}
	a.tips = nil
	a.screens++
	a.showThrottle.last = time.Now() // a rebuild, however it came
	var c fyne.CanvasObject
	switch a.state.Screen {
	case ScreenSettings:
		c = a.settingsScreen()
	case ScreenLobby:
		c = a.lobbyScreen()
	case ScreenJoining:
		c = a.joiningScreen()
	case ScreenCall:
		c = a.callScreen()
	default:
		c = a.homeScreen()
	}
	// A field being typed in keeps the keyboard through the rebuild (the
	// chat's box while someone joins): Fyne forgets the focus with the
	// old content, and the next keys would go nowhere.
	focused := a.win.Canvas().Focused()
	a.win.SetContent(container.NewStack(c, a.toasts))
	if o, ok := focused.(fyne.CanvasObject); ok && holds(c, o) {
		a.win.Canvas().Focus(focused)
	}
}

// holds says whether o is among root's containers' objects, at any depth.
func holds(root fyne.CanvasObject, o fyne.CanvasObject) bool {
	if root == o {
		return true
	}
	if c, ok := root.(*fyne.Container); ok {
		for _, child := range c.Objects {
			if holds(child, o) {
				return true
			}
		}
	}
	return false
}

func (a *App) goTo(s Screen) {
	a.state.Screen = s
	a.show()
}

func (a *App) openURL(raw string) {
	u, err := url.Parse(raw)
	if err != nil {
		return
	}
	if err := a.fyne.OpenURL(u); err != nil {
		fyne.LogError("open browser", err)
	}
}
