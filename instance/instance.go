// Package instance keeps one Kaigi running per user: the first instance
// listens on a Unix socket in the user's runtime folder (owner-only), and
// a later `kaigi LINK` (a link clicked in a browser) hands its link over
// and exits.
package instance

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// maxLink bounds what one hand-over may carry.
const maxLink = 16 << 10

// ErrRunning says another instance holds the socket.
var ErrRunning = errors.New("instance: Kaigi is already running")

// Dir is the folder for the socket: $XDG_RUNTIME_DIR/kaigi, or a per-user
// folder in the temporary directory.
func Dir() string {
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" {
		return filepath.Join(d, "kaigi")
	}
	return filepath.Join(os.TempDir(), fmt.Sprintf("kaigi-%d", os.Getuid()))
}

func socketPath(dir string) string { return filepath.Join(dir, "instance.sock") }

// Listener receives links from later instances.
type Listener struct {
	ln    net.Listener
	links chan string
	wg    sync.WaitGroup
	once  sync.Once
}

// Listen claims dir for this instance. ErrRunning means another live
// instance has it; a socket left by a crashed one is replaced.
func Listen(dir string) (*Listener, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, err
	}
	if fi, err := os.Stat(dir); err == nil {
		if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Getuid() {
			return nil, fmt.Errorf("instance: %s belongs to another user", dir)
		}
	}
	path := socketPath(dir)
	ln, err := net.Listen("unix", path)
	if err != nil {
		// Someone answering there is a live instance; silence is a
		// stale socket.
		if c, derr := net.DialTimeout("unix", path, time.Second); derr == nil {
			c.Close()
			return nil, ErrRunning
		}
		_ = os.Remove(path)
		if ln, err = net.Listen("unix", path); err != nil {
			return nil, err
		}
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, err
	}
	l := &Listener{ln: ln, links: make(chan string, 8)}
	l.wg.Add(1)
	go l.serve()
	return l, nil
}

// Links delivers handed-over links (closed by Close).
func (l *Listener) Links() <-chan string { return l.links }

func (l *Listener) serve() {
	defer l.wg.Done()
	for {
		c, err := l.ln.Accept()
		if err != nil {
			return
		}
		_ = c.SetDeadline(time.Now().Add(2 * time.Second))
		line, err := bufio.NewReader(&limited{c, maxLink}).ReadString('\n')
		if err == nil {
			line = strings.TrimSpace(line)
			select {
			case l.links <- line:
				_, _ = c.Write([]byte("ok\n"))
			default: // a flood of hand-overs: drop, the user can click again
			}
		}
		c.Close()
	}
}

// Close stops listening and removes the socket.
func (l *Listener) Close() error {
	var err error
	l.once.Do(func() {
		err = l.ln.Close()
		l.wg.Wait()
		close(l.links)
	})
	return err
}

// Send hands link to the running instance; an error means none took it.
func Send(dir, link string) error {
	if len(link) >= maxLink || strings.ContainsAny(link, "\r\n") {
		return errors.New("instance: link too long or not one line")
	}
	c, err := net.DialTimeout("unix", socketPath(dir), time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Write([]byte(link + "\n")); err != nil {
		return err
	}
	reply, err := bufio.NewReader(c).ReadString('\n')
	if err != nil || strings.TrimSpace(reply) != "ok" {
		return errors.New("instance: the running Kaigi did not take the link")
	}
	return nil
}

// limited reads at most n bytes, then fails.
type limited struct {
	c net.Conn
	n int
}

func (r *limited) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, errors.New("instance: message too long")
	}
	if len(p) > r.n {
		p = p[:r.n]
	}
	k, err := r.c.Read(p)
	r.n -= k
	return k, err
}
