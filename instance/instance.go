// Package instance keeps one Kaigi running per user: the first instance
// listens (on Unix on a socket in an owner-only folder; on Windows on a
// loopback port whose number and a random secret go into a file only the
// user can read), and a later `kaigi LINK` (a link clicked in a browser)
// hands its link over and exits.
package instance

import (
	"bufio"
	"crypto/subtle"
	"errors"
	"net"
	"strings"
	"sync"
	"time"
)

// maxLink bounds what one hand-over may carry.
const maxLink = 16 << 10

// ErrRunning says another live instance holds the folder.
var ErrRunning = errors.New("instance: Kaigi is already running")

// Listener receives links from later instances.
type Listener struct {
	ln     net.Listener
	secret string // the first word of every hand-over (Windows; empty on Unix)
	done   func() // removes what Listen left in the folder
	links  chan string
	wg     sync.WaitGroup
	once   sync.Once
}

// Listen claims dir for this instance. ErrRunning means another live
// instance has it; what a crashed one left is replaced.
func Listen(dir string) (*Listener, error) {
	ln, secret, done, err := listen(dir)
	if err != nil {
		return nil, err
	}
	l := &Listener{ln: ln, secret: secret, done: done, links: make(chan string, 8)}
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
		if err == nil && l.secret != "" {
			var word string
			word, line, _ = strings.Cut(line, " ")
			if subtle.ConstantTimeCompare([]byte(word), []byte(l.secret)) != 1 {
				err = errors.New("instance: wrong secret")
			}
		}
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

// Close stops listening and removes the socket or the hand-over file.
func (l *Listener) Close() error {
	var err error
	l.once.Do(func() {
		err = l.ln.Close()
		l.wg.Wait()
		l.done()
		close(l.links)
	})
	return err
}

// Send hands link to the running instance; an error means none took it.
func Send(dir, link string) error {
	if len(link) >= maxLink || strings.ContainsAny(link, "\r\n") {
		return errors.New("instance: link too long or not one line")
	}
	c, secret, err := dial(dir)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	msg := link + "\n"
	if secret != "" {
		msg = secret + " " + msg
	}
	if _, err := c.Write([]byte(msg)); err != nil {
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
