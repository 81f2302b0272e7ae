package app

import (
	"context"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"kaigi/i18n"
	"kaigi/room"
	"kaigi/room/link"
)

// These tests drive the real screens with Fyne's test driver (no display).

// uiThread stands in for the real driver's main thread: Fyne's test driver
// runs fyne.Do and fyne.DoAndWait at once on the caller's goroutine, so the
// app's own goroutines (session events, the tile pump, the speaking meter)
// would race each other in tests as they never do in the app. Here they
// queue, in order, for one goroutine; DoAndWait from that goroutine runs
// at once, as on the main thread. Tests touch widgets and state only
// through it too (ui), so that go test -race sees one UI thread. There is
// one for the whole test binary, as there is one main thread: Fyne's
// caches are shared by every test's app, and a goroutine a finished test
// left behind (a call's events arriving late) must not race the next test.
type uiThread struct {
	queue chan func()
	id    atomic.Uint64 // the goroutine's id
}

var mainThread = startUIThread()

func startUIThread() *uiThread {
	d := &uiThread{queue: make(chan func(), 1024)}
	started := make(chan struct{})
	go func() {
		d.id.Store(goroutineID())
		close(started)
		for f := range d.queue {
			f()
		}
	}()
	<-started
	return d
}

func (d *uiThread) do(f func(), wait bool) {
	if goroutineID() == d.id.Load() {
		f()
		return
	}
	if !wait {
		d.queue <- f
		return
	}
	done := make(chan struct{})
	d.queue <- func() { defer close(done); f() }
	<-done
}

// uiDriver is a test driver whose fyne.Do runs on the main thread.
type uiDriver struct{ fyne.Driver }

func (d uiDriver) DoFromGoroutine(f func(), wait bool) { mainThread.do(f, wait) }

// goroutineID reads the running goroutine's number from its stack header
// ("goroutine 42 [running]:").
func goroutineID() uint64 {
	var buf [64]byte
	n := runtime.Stack(buf[:], false)
	var id uint64
	for _, c := range buf[len("goroutine "):n] {
		if c < '0' || c > '9' {
			break
		}
		id = id*10 + uint64(c-'0')
	}
	return id
}

// ui runs f on the UI goroutine (see uiThread), as the app's own code runs.
func ui(f func()) { fyne.DoAndWait(f) }

// on is f's value, read on the UI goroutine.
func on[T any](f func() T) T {
	var v T
	ui(func() { v = f() })
	return v
}

// screenOf is the screen shown; callOf the call going on (or nil).
func screenOf(a *App) Screen   { return on(func() Screen { return a.state.Screen }) }
func callOf(a *App) *callState { return on(func() *callState { return a.state.Call }) }

// tap taps b on the UI goroutine.
func tap(b *widget.Button) { ui(func() { test.Tap(b) }) }

// testApp is Fyne's test app with fyne.Do on the main thread.
type testApp struct {
	fyne.App
	d uiDriver
}

func (a *testApp) Driver() fyne.Driver { return a.d }

// Between tests (and before the first) the current app runs fyne.Do on
// the main thread too: timers a finished test left (a notice hiding) fire
// then. Fyne's NewTempApp puts a plain test app in place when its test
// ends; tempApp puts this one back after it.
var betweenTests fyne.App

func init() {
	base := test.NewApp()
	betweenTests = &testApp{App: base, d: uiDriver{base.Driver()}}
	fyne.SetCurrentApp(betweenTests)
}

// tempApp is Fyne's test app for one test, made current, with fyne.Do on
// the main thread.
func tempApp(t testing.TB) fyne.App {
	t.Helper()
	t.Cleanup(func() { fyne.SetCurrentApp(betweenTests) }) // runs after NewTempApp's
	base := test.NewTempApp(t)
	fa := &testApp{App: base, d: uiDriver{base.Driver()}}
	fyne.SetCurrentApp(fa)
	return fa
}

func newTestApp(t testing.TB, opts Options) *App {
	t.Helper()
	fa := tempApp(t)
	if opts.Lang == "" {
		opts.Lang = i18n.English
	}
	var a *App
	var err error
	ui(func() { a, err = New(fa, opts) })
	if err != nil {
		t.Fatal(err)
	}
	// A call the test did not leave is left, so that its goroutines end
	// rather than carry on into the next test.
	t.Cleanup(func() {
		ui(func() {
			if c := a.state.Call; c != nil && c.session != nil {
				a.closeCall(c)
			}
		})
	})
	return a
}

// walk visits every object on the window, widgets' insides included.
func walk(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	visit(o)
	switch o := o.(type) {
	case *fyne.Container:
		for _, c := range o.Objects {
			walk(c, visit)
		}
	case fyne.Widget:
		r := test.WidgetRenderer(o)
		for _, c := range r.Objects() {
			walk(c, visit)
		}
	}
}

func entryByPlaceholder(a *App, ph string) *textEntry {
	var found *textEntry
	ui(func() {
		walk(a.win.Content(), func(o fyne.CanvasObject) {
			if e, ok := o.(*textEntry); ok && e.PlaceHolder == ph {
				found = e
			}
		})
	})
	return found
}

// typeIn types s into e on the UI goroutine.
func typeIn(e fyne.Focusable, s string) { ui(func() { test.Type(e, s) }) }

func button(a *App, text string) *widget.Button {
	var found *widget.Button
	ui(func() {
		walk(a.win.Content(), func(o fyne.CanvasObject) {
			switch b := o.(type) {
			case *widget.Button:
				if b.Text == text {
					found = b
				}
			case *tipButton:
				if b.Text == text {
					found = &b.Button
				}
			}
		})
	})
	return found
}

// shows says whether some label or button on screen has text containing s.
func shows(a *App, s string) bool {
	seen := false
	ui(func() {
		walk(a.win.Content(), func(o fyne.CanvasObject) {
			switch o := o.(type) {
			case *widget.Label:
				seen = seen || strings.Contains(o.Text, s)
			case *wrapLabel:
				seen = seen || strings.Contains(o.text, s)
			case *widget.Button:
				seen = seen || strings.Contains(o.Text, s)
			case *tipButton:
				seen = seen || strings.Contains(o.Text, s)
			}
		})
	})
	return seen
}

func TestLanguageSwitchKeepsTypedText(t *testing.T) {
	a := newTestApp(t, Options{})
	e := entryByPlaceholder(a, "Paste a meeting link")
	if e == nil {
		t.Fatal("no link entry in English")
	}
	typeIn(e, "https://galene.example.org/group/x/")
	ui(func() { a.SetLang(i18n.Japanese) })
	e = entryByPlaceholder(a, "会議のリンクを貼り付け")
	if e == nil {
		t.Fatal("no link entry after switching to Japanese")
	}
	if got := on(func() string { return e.Text }); got != "https://galene.example.org/group/x/" {
		t.Errorf("typed link lost in the switch: %q", got)
	}
	if button(a, "参加") == nil || button(a, "Join") != nil {
		t.Error("join button not in Japanese")
	}
	ui(func() { a.SetLang(i18n.TraditionalChinese) })
	if button(a, "加入") == nil {
		t.Error("join button not in Traditional Chinese")
	}
	if a.prefs.lang() != i18n.TraditionalChinese {
		t.Error("language choice not remembered")
	}
}

func TestLinkProblemsAreSentences(t *testing.T) {
	a := newTestApp(t, Options{})
	typeIn(entryByPlaceholder(a, "The name others will see"), "Ken")
	for _, tt := range []struct{ link, want string }{
		{"", "Paste a meeting link first."},
		{"hello there", "There is no link in this text."},
		{"ftp://example.org/x", "Kaigi opens meeting links that start with https://"},
		{"https://meet.google.com/abc-defg-hij", "This is a Google Meet meeting."},
	} {
		ui(func() { a.state.LinkText = tt.link; a.show() })
		tap(button(a, "Join"))
		if !shows(a, tt.want) {
			t.Errorf("%q: screen does not say %q", tt.link, tt.want)
		}
	}
	if button(a, "Open in browser") == nil {
		t.Error("closed service without an Open in browser button")
	}
	// The message follows a language switch.
	ui(func() { a.SetLang(i18n.Japanese) })
	if !shows(a, "ブラウザで開く") {
		t.Error("problem not re-localized after the switch")
	}
}

func TestRecentMeetings(t *testing.T) {
	joined := make(chan room.JoinOptions, 1)
	a := newTestApp(t, Options{FakeMedia: true, Join: func(ctx context.Context, o room.JoinOptions) (room.Session, error) {
		joined <- o
		return nil, room.Fail(room.ErrUnreachable, nil, "")
	}})
	typeIn(entryByPlaceholder(a, "The name others will see"), "Ken")
	typeIn(entryByPlaceholder(a, "Paste a meeting link"), "https://galene.example.org/group/weekly/")
	tap(button(a, "Join"))
	if screenOf(a) != ScreenLobby {
		t.Fatal("Join did not open the lobby")
	}
	tap(button(a, "Join now"))
	if o := <-joined; o.Link.Group != "weekly" || o.Name != "Ken" || o.Local == nil || o.Remote == nil {
		t.Fatalf("joined %+v", o)
	}
	// The join fails (nothing listens): the joining screen says so.
	waitFor(t, "the join failure", func() bool { return a.state.Screen == ScreenJoining && a.state.JoinError != nil })
	if a.prefs.name() != "Ken" {
		t.Error("name not remembered")
	}
	ui(a.backHome)
	if !shows(a, "weekly · galene.example.org") {
		t.Fatal("recent meeting not listed")
	}
	if got := a.prefs.recent(); len(got) != 1 || got[0].URL != "https://galene.example.org/group/weekly/" {
		t.Fatalf("recent not remembered: %+v", got)
	}
	var kept, afterRemove int
	ui(func() {
		for i := 0; i < maxRecent+3; i++ {
			l, _ := link.Parse("https://galene.example.org/group/g" + string(rune('a'+i)) + "/")
			a.state.addRecent(l, a.state.Recent[0].When)
		}
		kept = len(a.state.Recent)
		a.state.removeRecent(a.state.Recent[0].URL)
		afterRemove = len(a.state.Recent)
	})
	if kept != maxRecent {
		t.Errorf("%d recent meetings kept, want %d", kept, maxRecent)
	}
	if afterRemove != maxRecent-1 {
		t.Error("remove did not remove")
	}
}

func TestJoinErrorIsLocalized(t *testing.T) {
	a := newTestApp(t, Options{Lang: i18n.TraditionalChinese})
	ui(func() {
		a.state.Link, _ = link.Parse("https://galene.example.org/group/weekly/")
		a.state.Screen = ScreenJoining
		a.state.JoinError = roomProblem(room.Fail(room.ErrCertificate, nil, ""))
		a.show()
	})
	// Trying again cannot mend a certificate that does not match: home is
	// the one way on.
	if !shows(a, "伺服器的安全憑證與邀請不符") || button(a, "重試") != nil || button(a, "回首頁") == nil {
		t.Error("certificate failure not shown in Traditional Chinese, with Home and no retry")
	}
	// An unreachable server may be back in a moment.
	ui(func() {
		a.state.JoinError = roomProblem(room.Fail(room.ErrUnreachable, nil, ""))
		a.show()
	})
	if button(a, "重試") == nil {
		t.Error("an unreachable server offers no retry")
	}
}

func TestFirstStartFollowsLocale(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "zh_HK.UTF-8")
	fa := tempApp(t)
	var a *App
	var err error
	ui(func() { a, err = New(fa, Options{}) })
	if err != nil {
		t.Fatal(err)
	}
	if a.tr.Lang() != i18n.TraditionalChinese {
		t.Errorf("first start in zh_HK chose %s", a.tr.Lang())
	}
}

// TestSpinnersStop: a busy bar animates (repainting the whole window 60
// times a second) until stopped, so leaving its screen must stop it.
func TestSpinnersStop(t *testing.T) {
	a := newTestApp(t, Options{})
	var bar *widget.ProgressBarInfinite
	running := false
	ui(func() {
		a.win.Show()
		a.state.Screen = ScreenJoining
		a.show()
		walk(a.win.Content(), func(o fyne.CanvasObject) {
			if b, ok := o.(*widget.ProgressBarInfinite); ok {
				bar = b
			}
		})
		running = bar != nil && bar.Running()
	})
	if !running {
		t.Fatal("the joining screen shows no running busy bar")
	}
	ui(func() { a.goTo(ScreenHome) })
	if on(bar.Running) {
		t.Error("the joining screen's busy bar still runs on the home screen")
	}
}
