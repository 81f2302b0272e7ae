package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"sync"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"kaigi/app"
	"kaigi/i18n"
	"kaigi/instance"
	"kaigi/room/host"
	"kaigi/room/link"
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
	if err := fs.Parse(args); err != nil {
		return 2
	}
	hosting := &hosting{port: *hostPort, addr: *hostAddr, announce: *screen == "call"}
	defer hosting.close()
	opts := app.Options{Version: version, Screen: *screen, Join: joinFunc(dialers()), NewMeeting: hosting.newMeeting,
		EndMeeting: hosting.end, FakeMedia: *fake, TileStats: *tileStats, SkipLobby: *skipLobby, Name: *name}
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
	a.Run()
	return 0
}

// hosting runs the meetings this computer hosts from the app.
type hosting struct {
	port     int
	addr     string
	announce bool // print invite links on stdout (make screenshots)
	mu       sync.Mutex
	h        *host.Host
}

// newMeeting starts the host on the LAN address (once), makes a group with
// a random name and returns its invite link.
func (m *hosting) newMeeting(ctx context.Context) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.h == nil {
		h, err := host.New(host.Config{Listen: fmt.Sprintf("%s:%d", m.addr, m.port), AnyPortIfBusy: true, CertDir: defaultCertDir()})
		if err != nil {
			return "", err
		}
		go h.Serve(context.Background())
		m.h = h
	}
	var b [4]byte
	_, _ = rand.Read(b[:])
	name := "kaigi-" + hex.EncodeToString(b[:])
	if err := m.h.CreateGroup(name); err != nil {
		return "", err
	}
	invite, err := m.h.InviteLink(name)
	if err == nil && m.announce {
		fmt.Println(invite)
	}
	return invite, err
}

// end ends a hosted meeting for everyone.
func (m *hosting) end(invite string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.h == nil {
		return
	}
	if l, err := link.Parse(invite); err == nil {
		_ = m.h.EndGroup(l.Group)
	}
}

func (m *hosting) close() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.h != nil {
		m.h.Close()
	}
}
