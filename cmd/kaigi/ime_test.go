package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"kaigi/headless"
)

// TestInputMethodTyping: Japanese and Chinese typed through an input method
// (IBus over XIM, as on a desktop with XMODIFIERS=@im=ibus) reach Kaigi's
// fields in a real window. On the home screen the name is typed with Mozc
// (nihongo, Space converts, Enter commits: 日本語) and then Chewing (Zhuyin
// keys su3cl3, Enter: 你好), and read back through the clipboard; then, in a
// call, a chat line typed with Mozc (Enter commits, a second Enter sends)
// reaches another participant under that name, and so does a Latin line
// whose Enter follows its last letter at once.
func TestInputMethodTyping(t *testing.T) {
	for _, tool := range []string{"ibus-daemon", "ibus", "dbus-daemon", "openbox", "xdotool", "xclip", "xprop", "import", "convert", "tesseract"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (scripts/deps.sh test installs it)", tool)
		}
	}
	display := startXvfb(t)
	startOpenbox(t, display)
	im := startIBus(t, display)
	for _, engine := range []string{"mozc-jp", "chewing"} {
		if !strings.Contains(im.run(t, "list-engine"), engine) {
			t.Skipf("IBus has no %s engine (scripts/deps.sh test installs ibus-mozc and ibus-chewing)", engine)
		}
	}
	im.engine(t, "mozc-jp")

	home := t.TempDir()
	app := exec.Command(bin, "--fake-media")
	// C.UTF-8 exists wherever glibc is 2.35 or newer; en_US.UTF-8 may not, and
	// in a locale that does not exist Xlib drops the committed text.
	app.Env = append(os.Environ(), "DISPLAY="+display, "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, "config"),
		"XDG_RUNTIME_DIR="+home, "LANG=C.UTF-8", "LC_ALL=", "LC_CTYPE=", "LC_MESSAGES=", "XMODIFIERS=@im=ibus")
	var appLog bytes.Buffer
	app.Stderr = &appLog
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		app.Process.Kill()
		app.Wait()
		if t.Failed() {
			t.Logf("kaigi's log:\n%s", appLog.String())
		}
	})
	x := xdo{display}
	win := x.window(t, "^Kaigi$")

	// The home screen's name field: Mozc, then Chewing after the word.
	x.click(t, win, "others", "will") // the placeholder "The name others will see"
	x.typeText(t, "nihongo")
	x.key(t, "space")
	x.key(t, "Return")
	x.waitField(t, "日本語")
	im.engine(t, "chewing")
	x.key(t, "End")
	x.typeText(t, "su3cl3")
	x.key(t, "Return")
	name := "日本語你好"
	x.waitField(t, name)

	// A call: the meeting of a `kaigi host`, handed to the running app; the
	// lobby keeps the typed name.
	invite := startHost(t, "ime")
	kaigiLink := "kaigi://join?link=" + strings.NewReplacer(":", "%3A", "/", "%2F", "?", "%3F", "=", "%3D", "#", "%23").Replace(invite)
	second := exec.Command(bin, kaigiLink)
	second.Env = app.Env
	if out, err := second.CombinedOutput(); err != nil {
		t.Fatalf("handing the link over: %v %s", err, out)
	}
	im.engine(t, "xkb:us::eng") // plain keys for the buttons' shortcuts
	x.click(t, win, "Join", "now")
	if !waitForClients(invite, 1) {
		t.Fatal("the app did not join the meeting")
	}
	stats := filepath.Join(t.TempDir(), "bot.json")
	bot := exec.Command(bin, "join", invite, "--headless", "--fake-media", "--name", "Bot", "--duration", "25s",
		"--stats-json", stats)
	if err := bot.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bot.Process.Kill(); bot.Wait() })
	if !waitForClients(invite, 2) {
		t.Fatal("the other participant did not join")
	}
	// The chat's shortcut (its button may show only an icon, which OCR
	// cannot find); opening the chat focuses its message box.
	x.key(t, "ctrl+shift+c")
	im.engine(t, "mozc-jp")
	x.typeText(t, "nihongo")
	x.key(t, "space")
	x.key(t, "Return") // commits
	x.waitField(t, "日本語")
	x.key(t, "Return") // sends
	// Latin typing passes through IBus and comes back late: an Enter right
	// after the last letter still sends the whole line.
	im.engine(t, "xkb:us::eng")
	x.run(t, "xdotool", "type", "--delay", "30", "Hi Ken")
	x.key(t, "Return")
	if err := bot.Wait(); err != nil {
		t.Fatalf("the other participant: %v", err)
	}
	data, err := os.ReadFile(stats)
	if err != nil {
		t.Fatal(err)
	}
	var res headless.Result
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	want := []headless.Chat{{From: name, Text: "日本語"}, {From: name, Text: "Hi Ken"}}
	if len(res.Chat) != len(want) || res.Chat[0] != want[0] || res.Chat[1] != want[1] {
		t.Errorf("the other participant got the chat %+v, want %+v", res.Chat, want)
	}
}

// startOpenbox runs a window manager on display until the test ends: xdotool
// activates windows through it, as a desktop does.
func startOpenbox(t *testing.T, display string) {
	t.Helper()
	cmd := exec.Command("openbox")
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
}

// ibusSession is an IBus daemon with its XIM server on one display, on a
// D-Bus session bus of its own.
type ibusSession struct {
	env  []string
	cred *syscall.Credential // nil: the test's own user
}

// startIBus starts IBus for display and waits until its XIM server is
// announced, or skips the test if IBus cannot start. Mozc's server refuses
// to run as root, so as root IBus runs as nobody.
func startIBus(t *testing.T, display string) *ibusSession {
	t.Helper()
	dir, err := os.MkdirTemp("", "kaigi-ibus")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	// Mozc starts in direct (Latin) input unless told otherwise.
	conf := filepath.Join(dir, ".config", "mozc")
	if err := os.MkdirAll(conf, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(conf, "ibus_config.textproto"), []byte(`engines {
  name : "mozc-jp"
  longname : "Mozc"
  layout : "default"
  layout_variant : ""
  layout_option : ""
  rank : 80
}
active_on_launch: True
`), 0o644); err != nil {
		t.Fatal(err)
	}
	s := &ibusSession{}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("nobody")
		if err != nil {
			t.Skip("running as root, and there is no user nobody for Mozc's server (it refuses root)")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		s.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		filepath.Walk(dir, func(p string, _ os.FileInfo, _ error) error { return os.Chown(p, uid, gid) })
		os.Chmod(dir, 0o755)
	}
	bus := "unix:path=" + filepath.Join(dir, "bus")
	s.env = append(os.Environ(), "DISPLAY="+display, "HOME="+dir, "XDG_CONFIG_HOME="+filepath.Join(dir, ".config"),
		"XDG_CACHE_HOME="+filepath.Join(dir, ".cache"), "XDG_RUNTIME_DIR="+dir, "DBUS_SESSION_BUS_ADDRESS="+bus,
		"NO_AT_BRIDGE=1", "GTK_A11Y=none", "LANG=C.UTF-8")
	// Each daemon leads a process group, so that everything it started
	// (ibus-x11, the engines, Mozc's server) ends with it.
	var log lockedBuffer // the daemons write to it at once
	start := func(name string, args ...string) {
		cmd := exec.Command(name, args...)
		cmd.Env = s.env
		cmd.Stdout, cmd.Stderr = &log, &log
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: s.cred}
		if err := cmd.Start(); err != nil {
			t.Skipf("%s: %v", name, err)
		}
		t.Cleanup(func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); cmd.Wait() })
	}
	start("dbus-daemon", "--session", "--nofork", "--nopidfile", "--address="+bus)
	waitUntil(t, 5*time.Second, "D-Bus session bus", func() bool {
		_, err := os.Stat(filepath.Join(dir, "bus"))
		return err == nil
	})
	start("ibus-daemon", "--xim", "--panel=disable", "--emoji-extension=disable")
	// `ibus engine NAME` can fail while the engine starts (Mozc's does, and
	// is set all the same): what counts is the engine IBus then reports.
	ok := false
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end) && !ok; time.Sleep(200 * time.Millisecond) {
		s.output("engine", "mozc-jp")
		out, _ := s.output("engine")
		ok = strings.TrimSpace(out) == "mozc-jp"
	}
	if !ok {
		t.Skipf("IBus did not switch to Mozc within 30 s:\n%s", log.String())
	}
	waitUntil(t, 20*time.Second, "IBus's XIM server", func() bool {
		out, _ := exec.Command("xprop", "-display", display, "-root", "XIM_SERVERS").Output()
		return strings.Contains(string(out), "@server=ibus")
	})
	return s
}

func (s *ibusSession) output(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ibus", args...)
	cmd.Env = s.env
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (s *ibusSession) run(t *testing.T, args ...string) string {
	t.Helper()
	out, err := s.output(args...)
	if err != nil {
		t.Fatalf("ibus %s: %v %s", strings.Join(args, " "), err, out)
	}
	return out
}

// engine switches the engine of every input context.
func (s *ibusSession) engine(t *testing.T, name string) {
	t.Helper()
	waitUntil(t, 10*time.Second, "IBus engine "+name, func() bool {
		s.output("engine", name)
		out, _ := s.output("engine")
		return strings.TrimSpace(out) == name
	})
}

// xdo drives a display as a person does, through xdotool.
type xdo struct{ display string }

func (x xdo) run(t *testing.T, tool string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, tool, args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+x.display)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v", tool, strings.Join(args, " "), err)
	}
	return string(out)
}

// window waits for a window whose name matches and activates it.
func (x xdo) window(t *testing.T, name string) string {
	t.Helper()
	var id string
	waitUntil(t, 20*time.Second, "the window "+name, func() bool {
		cmd := exec.Command("xdotool", "search", "--onlyvisible", "--name", name)
		cmd.Env = append(os.Environ(), "DISPLAY="+x.display)
		out, _ := cmd.Output()
		id, _, _ = strings.Cut(strings.TrimSpace(string(out)), "\n")
		return id != ""
	})
	time.Sleep(time.Second) // drawn
	x.run(t, "xdotool", "windowactivate", "--sync", id)
	return id
}

// click finds words (in this order, on one line) in the window by OCR and
// clicks the middle of the first.
func (x xdo) click(t *testing.T, win string, words ...string) {
	t.Helper()
	png := filepath.Join(t.TempDir(), "window.png")
	var at [2]int
	// Long enough for a busy machine (make test runs two packages at once).
	waitUntil(t, 45*time.Second, fmt.Sprintf("%q on screen (last picture read: %s)", strings.Join(words, " "),
		filepath.Join(os.TempDir(), "kaigi-ime-last.png")), func() bool {
		x.run(t, "import", "-window", win, png)
		x.run(t, "cp", png, filepath.Join(os.TempDir(), "kaigi-ime-last.png")) // kept to diagnose a failure
		// Light text on a coloured button reads once thresholded.
		for _, prep := range [][]string{nil, {"-colorspace", "gray", "-threshold", "60%"}} {
			img := png
			if prep != nil {
				img = png + ".prep.png"
				x.run(t, "convert", append(append([]string{png}, prep...), img)...)
			}
			tsv, err := exec.Command("tesseract", img, "-", "--psm", "11", "tsv").Output()
			if err != nil {
				return false
			}
			var ok bool
			if at, ok = findWords(string(tsv), words); ok {
				return true
			}
		}
		return false
	})
	x.run(t, "xdotool", "mousemove", "--window", win, strconv.Itoa(at[0]), strconv.Itoa(at[1]), "click", "1")
	time.Sleep(500 * time.Millisecond)
}

// findWords finds words, consecutive, in tesseract's TSV output and returns
// the middle of the first.
func findWords(tsv string, words []string) ([2]int, bool) {
	type word struct {
		text string
		x, y int
	}
	var ws []word
	for _, line := range strings.Split(tsv, "\n") {
		f := strings.Split(line, "\t")
		if len(f) < 12 || strings.TrimSpace(f[11]) == "" {
			continue
		}
		l, _ := strconv.Atoi(f[6])
		top, _ := strconv.Atoi(f[7])
		w, _ := strconv.Atoi(f[8])
		h, _ := strconv.Atoi(f[9])
		ws = append(ws, word{strings.TrimSpace(f[11]), l + w/2, top + h/2})
	}
	for i := range ws {
		if i+len(words) > len(ws) {
			break
		}
		match := true
		for j, w := range words {
			if ws[i+j].text != w {
				match = false
				break
			}
		}
		if match {
			return [2]int{ws[i].x, ws[i].y}, true
		}
	}
	return [2]int{}, false
}

func (x xdo) typeText(t *testing.T, s string) {
	t.Helper()
	x.run(t, "xdotool", "type", "--delay", "80", s)
	time.Sleep(300 * time.Millisecond)
}

func (x xdo) key(t *testing.T, k string) {
	t.Helper()
	x.run(t, "xdotool", "key", k)
	time.Sleep(500 * time.Millisecond)
}

// waitField waits until the focused field holds want, reading it as a
// person would: select all, copy, and the clipboard.
func (x xdo) waitField(t *testing.T, want string) {
	t.Helper()
	var got string
	ok := false
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end) && !ok; time.Sleep(300 * time.Millisecond) {
		x.run(t, "xdotool", "key", "ctrl+a", "ctrl+c", "End")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		cmd := exec.CommandContext(ctx, "xclip", "-o", "-selection", "clipboard")
		cmd.Env = append(os.Environ(), "DISPLAY="+x.display)
		out, _ := cmd.Output()
		cancel()
		got = string(out)
		ok = got == want
	}
	if !ok {
		t.Fatalf("the field holds %q, want %q", got, want)
	}
}

func waitUntil(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("no %s after %s", what, d)
}

// lockedBuffer is a buffer several processes' output goroutines write to.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
