//go:build unix

package instance

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestHandOver(t *testing.T) {
	defer goleak.VerifyNone(t)
	dir := filepath.Join(t.TempDir(), "kaigi")
	l, err := Listen(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Listen(dir); err != ErrRunning {
		t.Errorf("second Listen: %v", err)
	}
	for path, want := range map[string]os.FileMode{dir: 0o700, socketPath(dir): 0o600} {
		fi, err := os.Stat(path)
		if err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v (%v)", path, fi.Mode().Perm(), want, err)
		}
	}
	link := "kaigi://join?link=https%3A%2F%2Fh%2Fgroup%2Fg%2F"
	if err := Send(dir, link); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-l.Links():
		if got != link {
			t.Errorf("got %q", got)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("no link arrived")
	}
	// Hostile senders: too long, no newline, several lines.
	if err := Send(dir, strings.Repeat("x", maxLink)); err == nil {
		t.Error("an enormous link was sent")
	}
	c, err := net.Dial("unix", socketPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	c.Write([]byte(strings.Repeat("y", 2*maxLink)))
	c.Close()
	if err := Send(dir, "second"); err != nil {
		t.Errorf("the listener did not survive a flood: %v", err)
	}
	if got := <-l.Links(); got != "second" {
		t.Errorf("got %q after the flood", got)
	}
	l.Close()
	if err := Send(dir, link); err == nil {
		t.Error("sent to a closed instance")
	}
}

func TestStaleSocket(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kaigi")
	os.MkdirAll(dir, 0o700)
	// A crashed instance leaves its socket file behind.
	ln, err := net.Listen("unix", socketPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	l, err := Listen(dir)
	if err != nil {
		t.Fatalf("stale socket not replaced: %v", err)
	}
	l.Close()
}
