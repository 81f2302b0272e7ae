package instance

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Dir is the folder for the hand-over file: %LOCALAPPDATA%\Kaigi, which
// Windows makes readable by its user only.
func Dir() string {
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "Kaigi")
	}
	return filepath.Join(os.TempDir(), "Kaigi")
}

// The running instance listens on a loopback port. Any local program can
// reach a port, so every hand-over starts with a random secret; the port
// and the secret are in a file in the user's own folder.
func addrPath(dir string) string { return filepath.Join(dir, "instance.addr") }

func listen(dir string) (net.Listener, string, func(), error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, "", nil, err
	}
	// An instance that answers is alive; a file nobody answers is stale.
	if c, _, err := dial(dir); err == nil {
		c.Close()
		return nil, "", nil, ErrRunning
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", nil, err
	}
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		ln.Close()
		return nil, "", nil, err
	}
	secret := hex.EncodeToString(b[:])
	path := addrPath(dir)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(ln.Addr().String()+" "+secret+"\n"), 0o600); err != nil {
		ln.Close()
		return nil, "", nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		ln.Close()
		return nil, "", nil, err
	}
	done := func() {
		// Only our own file: a later instance may have replaced it.
		if b, err := os.ReadFile(path); err == nil && strings.Contains(string(b), secret) {
			_ = os.Remove(path)
		}
	}
	return ln, secret, done, nil
}

func dial(dir string) (net.Conn, string, error) {
	b, err := os.ReadFile(addrPath(dir))
	if err != nil {
		return nil, "", err
	}
	addr, secret, ok := strings.Cut(strings.TrimSpace(string(b)), " ")
	if !ok || secret == "" {
		return nil, "", errors.New("instance: unreadable hand-over file")
	}
	if host, _, err := net.SplitHostPort(addr); err != nil || host != "127.0.0.1" {
		return nil, "", fmt.Errorf("instance: hand-over address %q is not loopback", addr)
	}
	c, err := net.DialTimeout("tcp", addr, time.Second)
	return c, secret, err
}
