package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	livekitproto "github.com/livekit/protocol/livekit"
	lksdk "github.com/livekit/server-sdk-go/v2"

	"kaigi/room/livekit/livekittest"
	"kaigi/room/wire"
)

// startXvfb runs a virtual display for a real window.
func startXvfb(t *testing.T) string {
	t.Helper()
	display, _ := startXvfbCmd(t)
	return display
}

// windowEnv is the environment of the app in a window on display, with
// its own home (settings, the instance socket) in home, in English.
func windowEnv(display, home string) []string {
	return append(os.Environ(), "DISPLAY="+display, "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, "config"),
		"XDG_RUNTIME_DIR="+home, "LANG=en_US.UTF-8")
}

// startWindowApp starts the app with args in a window on an Xvfb of its
// own, with its own home (returned), and kills it when the test ends.
func startWindowApp(t *testing.T, args ...string) (app *exec.Cmd, home string) {
	t.Helper()
	display := startXvfb(t)
	home = t.TempDir()
	app = exec.Command(bin, args...)
	app.Env = windowEnv(display, home)
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Process.Kill(); app.Wait() })
	return app, home
}

// startXvfbCmd is startXvfb that also gives the server's process.
func startXvfbCmd(t *testing.T) (string, *exec.Cmd) {
	t.Helper()
	if _, err := exec.LookPath("Xvfb"); err != nil {
		t.Skip("Xvfb is not installed (make test installs it)")
	}
	for n := 120; n < 160; n++ {
		if inUse(n) {
			continue
		}
		display := fmt.Sprintf(":%d", n)
		cmd := exec.Command("Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp", "-noreset")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Asked to stop, Xvfb removes its lock file; killed, it leaves it.
		t.Cleanup(func() {
			cmd.Process.Signal(syscall.SIGTERM)
			done := make(chan struct{})
			go func() { cmd.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(3 * time.Second):
				cmd.Process.Kill()
				<-done
			}
		})
		for i := 0; i < 50; i++ {
			if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); err == nil {
				return display, cmd
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	t.Fatal("no Xvfb display")
	return "", nil
}

// inUse tells whether X display n is taken; a lock file left by an X
// server that was killed (its process gone) is removed.
func inUse(n int) bool {
	lock := fmt.Sprintf("/tmp/.X%d-lock", n)
	data, err := os.ReadFile(lock)
	if err != nil {
		return !os.IsNotExist(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err == nil && syscall.Kill(pid, 0) != nil {
		os.Remove(lock)
		os.Remove(fmt.Sprintf("/tmp/.X11-unix/X%d", n))
		return false
	}
	return true
}

// TestSecondInstanceHandsOver: under Xvfb, a running Kaigi gets the link of
// a second `kaigi kaigi://...` and joins the meeting (a real `kaigi host`).
func TestSecondInstanceHandsOver(t *testing.T) {
	display := startXvfb(t)
	home := t.TempDir()
	env := windowEnv(display, home)

	invite := startHost(t, "handover")

	first := exec.Command(bin, "--fake-media", "--skip-lobby", "--name", "Tester")
	first.Env = env
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { first.Process.Kill(); first.Wait() })
	sock := filepath.Join(home, "kaigi", "instance.sock")
	for i := 0; i < 100; i++ {
		if _, err := os.Stat(sock); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}

	kaigiLink := "kaigi://join?link=" + strings.NewReplacer(":", "%3A", "/", "%2F", "?", "%3F", "=", "%3D", "#", "%23").Replace(invite)
	second := exec.Command(bin, kaigiLink)
	second.Env = env
	start := time.Now()
	if outb, err := second.CombinedOutput(); err != nil {
		t.Fatalf("second instance: %v %s", err, outb)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the second instance took %s to hand over", d)
	}
	// The first instance joins: the host counts a client.
	if !waitForClients(invite, 1) {
		t.Error("the running instance did not join the handed-over meeting")
	}
}

// startHost runs `kaigi host` for one group until the test ends and
// returns its invite link.
func startHost(t *testing.T, group string) string {
	t.Helper()
	return startHostIn(t, group, t.TempDir())
}

// startHostIn is startHost keeping the host's files in dir.
func startHostIn(t *testing.T, group, dir string) string {
	t.Helper()
	hostCmd := exec.Command(bin, "host", "--listen", "127.0.0.1:0", "--group", group, "--insecure", "--cert-dir", dir)
	out, _ := hostCmd.StdoutPipe()
	if err := hostCmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hostCmd.Process.Kill(); hostCmd.Wait() })
	buf := make([]byte, 4096)
	n, _ := out.Read(buf)
	return strings.TrimSpace(strings.SplitN(string(buf[:n]), "\n", 2)[0])
}

// waitForClients polls the meeting's status for up to 10 s until it has n
// participants.
func waitForClients(invite string, n int) bool {
	status := strings.SplitN(invite, "?", 2)[0] + ".status"
	for i := 0; i < 100; i++ {
		resp, err := http.Get(status)
		if err == nil {
			var st wire.Status
			json.NewDecoder(resp.Body).Decode(&st)
			resp.Body.Close()
			if st.ClientCount != nil && *st.ClientCount == n {
				return true
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return false
}

// TestSIGTERMLeaves: the app in a LiveKit meeting, stopped with SIGTERM (a
// logout, a kill), leaves the room at once and exits. Killed outright, it
// would stay in the room until the server gives up on it (LiveKit waits
// for a reconnection), and the others would see a frozen tile meanwhile.
func TestSIGTERMLeaves(t *testing.T) {
	leavesWhen(t, "sigterm", func(app, _ *exec.Cmd) { app.Process.Signal(syscall.SIGTERM) })
}

// TestDisplayLostLeaves: the app in a LiveKit meeting whose X server goes
// away (the desktop session ended under it) leaves the room before it
// exits; Xlib's own handler would end it with the meeting still joined.
func TestDisplayLostLeaves(t *testing.T) {
	leavesWhen(t, "display", func(_, xvfb *exec.Cmd) { xvfb.Process.Signal(syscall.SIGTERM) })
}

// leavesWhen joins the app to a LiveKit room, does stop to it, and checks
// that the room sees it leave within 3 s and that it exits.
func leavesWhen(t *testing.T, roomName string, stop func(app, xvfb *exec.Cmd)) {
	display, xvfb := startXvfbCmd(t)
	home := t.TempDir()
	srv := livekittest.Start(t, livekittest.Options{})
	tok := livekittest.Token(t, roomName, "tester", "Tester", time.Hour)
	app := exec.Command(bin, "--fake-media", "--skip-lobby", "--name", "Tester", srv.URL+"?token="+tok)
	app.Env = windowEnv(display, home)
	logPath := filepath.Join(home, "kaigi.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	app.Stdout, app.Stderr = logFile, logFile
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if t.Failed() {
			out, _ := os.ReadFile(logPath)
			var lines []string
			for _, l := range strings.Split(string(out), "\n") {
				if !strings.Contains(l, "pion") {
					lines = append(lines, l)
				}
			}
			t.Logf("the app's last output:\n%s", strings.Join(lines, "\n"))
		}
	}()
	exited := make(chan error, 1)
	go func() { exited <- app.Wait() }()
	t.Cleanup(func() { app.Process.Kill() })
	rooms := lksdk.NewRoomServiceClient(strings.Replace(srv.URL, "ws://", "http://", 1), livekittest.Key, livekittest.Secret)
	inRoom := func() int {
		res, err := rooms.ListParticipants(context.Background(), &livekitproto.ListParticipantsRequest{Room: roomName})
		if err != nil {
			return -1
		}
		return len(res.Participants)
	}
	waitUntil := func(d time.Duration, cond func() bool) bool {
		for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
			if cond() {
				return true
			}
		}
		return false
	}
	if !waitUntil(20*time.Second, func() bool { return inRoom() == 1 }) {
		t.Fatal("the app did not join")
	}
	// The dial runs beside the window's creation: wait until the window
	// is up (and the call on it), as when a person is in a meeting.
	shown := func() bool {
		search := exec.Command("xdotool", "search", "--onlyvisible", "--name", "Kaigi")
		search.Env = append(os.Environ(), "DISPLAY="+display)
		out, err := search.Output()
		return err == nil && len(strings.TrimSpace(string(out))) > 0
	}
	if !waitUntil(20*time.Second, shown) {
		t.Fatal("the app's window did not show")
	}
	time.Sleep(500 * time.Millisecond)
	stop(app, xvfb)
	if !waitUntil(3*time.Second, func() bool { return inRoom() == 0 }) {
		t.Errorf("3 s later the room still has %d participant(s)", inRoom())
	}
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		t.Error("the app did not exit")
	}
}
