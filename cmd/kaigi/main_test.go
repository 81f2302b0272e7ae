package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// These tests run the real kaigi binary as a user or a script would.

var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "kaigi-bin")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "kaigi")
	out, err := exec.Command("go", "build", "-tags", "nolibopusfile", "-o", bin, ".").CombinedOutput()
	if err != nil {
		os.Stderr.Write(out)
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func kaigi(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var o, e strings.Builder
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	code = cmd.ProcessState.ExitCode()
	if err != nil && code == -1 {
		t.Fatal(err)
	}
	return o.String(), e.String(), code
}

func TestVersion(t *testing.T) {
	out, _, code := kaigi(t, "version")
	if code != 0 || !strings.HasPrefix(out, "kaigi ") {
		t.Errorf("version: %q, exit %d", out, code)
	}
}

func TestJoinFailsClearly(t *testing.T) {
	stats := filepath.Join(t.TempDir(), "stats.json")
	start := time.Now()
	_, errOut, code := kaigi(t, "join", "ws://127.0.0.1:9?token=x", "--headless", "--fake-media", "--name", "x",
		"--duration", "2s", "--stats-json", stats)
	if code != 1 || !strings.Contains(errOut, "server unreachable") {
		t.Errorf("closed port: exit %d, stderr %q", code, errOut)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %s", d)
	}
	data, err := os.ReadFile(stats)
	if err != nil || !strings.Contains(string(data), `"state": "failed"`) {
		t.Errorf("stats file: %s %v", data, err)
	}
	_, errOut, code = kaigi(t, "join", "https://meet.google.com/abc-defg-hij", "--headless")
	if code != 2 || !strings.Contains(errOut, "cannot join") {
		t.Errorf("closed service: exit %d, stderr %q", code, errOut)
	}
	_, errOut, code = kaigi(t, "join", "hello", "--headless")
	if code != 2 || !strings.Contains(errOut, "not a meeting link") {
		t.Errorf("no link: exit %d, stderr %q", code, errOut)
	}
	_, errOut, code = kaigi(t, "join", "ws://127.0.0.1:9?token=x", "--headless", "--count", "3")
	if code != 2 || !strings.Contains(errOut, "one identity") {
		t.Errorf("--count with a LiveKit token: exit %d, stderr %q", code, errOut)
	}
	_, _, code = kaigi(t, "--lang", "fr")
	if code != 2 {
		t.Errorf("unknown language: exit %d", code)
	}
}

// TestJoinCount: `kaigi join --count 3` is three participants of a hosted
// meeting from one process, each with its own stats file.
func TestJoinCount(t *testing.T) {
	invite := startHost(t, "count")
	stats := filepath.Join(t.TempDir(), "stats.json")
	cmd := exec.Command(bin, "join", invite, "--headless", "--fake-media", "--send-only", "--replay", "--count", "3",
		"--name", "Guest", "--duration", "4s", "--stats-json", stats)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if !waitForClients(invite, 3) {
		t.Error("the host did not count three participants")
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("kaigi join --count 3: %v", err)
	}
	for i := 1; i <= 3; i++ {
		data, err := os.ReadFile(fmt.Sprintf("%s.%d", stats, i))
		if err != nil || !strings.Contains(string(data), `"state": "left"`) {
			t.Errorf("participant %d: %s %v", i, data, err)
		}
	}
}

// TestHelp: `kaigi --help` names every command, and in the C locale
// (services, containers) nothing logs a locale error.
func TestHelp(t *testing.T) {
	for _, loc := range []string{"C", "C.UTF-8", "POSIX", "en_US.UTF-8"} {
		cmd := exec.Command(bin, "--help")
		cmd.Env = append(os.Environ(), "LANG="+loc, "LC_ALL=", "LC_MESSAGES=")
		out, _ := cmd.CombinedOutput()
		for _, want := range []string{"kaigi join", "kaigi host", "kaigi version", "-lang"} {
			if !strings.Contains(string(out), want) {
				t.Errorf("LANG=%s: --help lacks %q:\n%s", loc, want, out)
			}
		}
		if strings.Contains(string(out), "error") {
			t.Errorf("LANG=%s: --help logs an error:\n%s", loc, out)
		}
	}
}

// TestHostKeepsToken: a restarted `kaigi host --group X` admits the invites
// it sent before (the same token), and another group gets another token.
func TestHostKeepsToken(t *testing.T) {
	dir := t.TempDir()
	token := func(invite string) string {
		_, q, _ := strings.Cut(invite, "?token=")
		return q
	}
	first := token(startHostIn(t, "team", dir))
	again := token(startHostIn(t, "team", dir))
	other := token(startHostIn(t, "other", dir))
	if first == "" || first != again {
		t.Errorf("restarted host: token %q, then %q", first, again)
	}
	if other == first {
		t.Error("two groups share a token")
	}
}
