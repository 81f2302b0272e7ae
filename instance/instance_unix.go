//go:build unix

package instance

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// Dir is the folder for the socket: $XDG_RUNTIME_DIR/kaigi, or a per-user
// folder in the temporary directory.
func Dir() string {
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" {
		return filepath.Join(d, "kaigi")
	}
	return filepath.Join(os.TempDir(), fmt.Sprintf("kaigi-%d", os.Getuid()))
}

func socketPath(dir string) string { return filepath.Join(dir, "instance.sock") }

// listen opens the socket (owner-only, in an owner-only folder); the
// socket's permissions are the guard, so no secret is needed.
func listen(dir string) (net.Listener, string, func(), error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, "", nil, err
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, "", nil, err
	}
	if fi, err := os.Stat(dir); err == nil {
		if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Getuid() {
			return nil, "", nil, fmt.Errorf("instance: %s belongs to another user", dir)
		}
	}
	path := socketPath(dir)
	ln, err := net.Listen("unix", path)
	if err != nil {
		// Someone answering there is a live instance; silence is a
		// stale socket.
		if c, derr := net.DialTimeout("unix", path, time.Second); derr == nil {
			c.Close()
			return nil, "", nil, ErrRunning
		}
		_ = os.Remove(path)
		if ln, err = net.Listen("unix", path); err != nil {
			return nil, "", nil, err
		}
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, "", nil, err
	}
	// Closing a UnixListener removes the socket file.
	return ln, "", func() {}, nil
}

func dial(dir string) (net.Conn, string, error) {
	c, err := net.DialTimeout("unix", socketPath(dir), time.Second)
	return c, "", err
}
