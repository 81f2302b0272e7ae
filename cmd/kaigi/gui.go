package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"kaigi/app"
	"kaigi/i18n"
	"kaigi/instance"
	"kaigi/internal/workingset"
	"kaigi/room/host"
)

// runGUI opens the app: `kaigi [--lang en|ja|zh_TW] [LINK]`.
func runGUI(args []string) int {
	fs := flag.NewFlagSet("kaigi", flag.ContinueOnError)
	langFlag := fs.String("lang", "", "interface language for this run: en, ja or zh_TW")
	screen := fs.String("screen", "", "open a screen with sample content (for make screenshots)")
	hostPort := fs.Int("host-port", 8443, "port for meetings this computer hosts (another is taken if it is busy)")
	fake := fs.Bool("fake-media", false, "send a test pattern and tone instead of the camera and microphone")
	name := fs.String("name", "", "display name (remembered)")
	skipLobby := fs.Bool("skip-lobby", false, "join without the pre-join check")
	tileStats := fs.String("tile-stats", "", "write how many pictures each call tile drew to this file, every 250 ms (measurements)")
	hostAddr := fs.String("host-address", "", "address meetings this computer hosts listen on (default: all, invite links name the LAN address)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage:
  kaigi [options] [LINK]     open the app (on a meeting link)
  kaigi join LINK [options]  join a meeting (--headless: without a window; kaigi join --help)
  kaigi host [options]       host a meeting without a window (kaigi host --help)
  kaigi version              print the version

Options of the app:
`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	tuneGC()
	trimDone := make(chan struct{})
	defer close(trimDone)
	go workingset.Watch(trimPeriod, trimSweep, trimSlack, trimDone)
	defer startProfile()()
	hosting := newHosting(*hostPort, *hostAddr, strings.HasPrefix(*screen, "call"))
	defer hosting.Close()
	opts := app.Options{Version: version, Screen: *screen, Join: joinFunc(dialers()), NewMeeting: hosting.newMeeting,
		EndMeeting: hosting.End, HostToken: hosting.HostToken, FakeMedia: *fake, TileStats: *tileStats, SkipLobby: *skipLobby, Name: *name}
	if *langFlag != "" {
		l, ok := i18n.Parse(*langFlag)
		if !ok {
			fmt.Fprintf(os.Stderr, "kaigi: unknown language %q (en, ja, zh_TW)\n", *langFlag)
			return 2
		}
		opts.Lang = l
	}
	if fs.NArg() > 0 {
		opts.Link = fs.Arg(0)
	}
	// One Kaigi per user: a link for a running instance is handed over.
	dir := instance.Dir()
	listener, err := instance.Listen(dir)
	if errors.Is(err, instance.ErrRunning) && instance.Send(dir, opts.Link) == nil {
		return 0
	}
	if listener != nil {
		defer listener.Close()
	}
	a, err := app.New(fyneapp.NewWithID("io.kaigi.Kaigi"), opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kaigi:", err)
		return 1
	}
	if listener != nil {
		go func() {
			for l := range listener.Links() {
				fyne.Do(func() { a.OpenLink(l) })
			}
		}()
	}
	// SIGTERM, SIGINT and SIGHUP (a logout, a kill, a closed terminal)
	// leave the meeting properly; so does the display going away.
	watchDisplay(a.Abandon)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	go func() {
		if _, ok := <-sigs; ok {
			fyne.Do(a.Quit)
		}
	}()
	a.Run()
	// The loop ends on Quit, or on Fyne's own SIGTERM handling (which may
	// come first): either way, nobody stays in the meeting.
	a.Abandon()
	return 0
}

// hosting runs the meetings this computer hosts from the app: the host
// listens from the first meeting to the end of the last (host.Meetings).
type hosting struct {
	host.Meetings
	announce bool // print invite links on stdout (make screenshots)
}

func newHosting(port int, addr string, announce bool) *hosting {
	m := &hosting{announce: announce}
	m.Config = host.Config{Listen: fmt.Sprintf("%s:%d", addr, port), AnyPortIfBusy: true, CertDir: defaultCertDir()}
	m.OnServeError = func(err error) { fmt.Fprintln(os.Stderr, "kaigi: hosting stopped:", err) }
	return m
}

// newMeeting starts a meeting and returns its invite link.
func (m *hosting) newMeeting(ctx context.Context) (string, error) {
	invite, err := m.New(ctx)
	if err == nil && m.announce {
		fmt.Println(invite)
	}
	return invite, err
}
