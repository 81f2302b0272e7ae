package host

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"

	"kaigi/room/link"
)

// Meetings are the meetings an app hosts on demand: the host starts with
// the first meeting and stops with the last, so a meeting nobody attends
// never keeps a port open on the network.
type Meetings struct {
	// Config is how the host is started for the first meeting.
	Config Config
	// OnServeError hears why serving stopped early (nil: ignored).
	OnServeError func(error)

	mu     sync.Mutex
	h      *Host
	groups map[string]bool
	served chan struct{} // closed when Serve returns
}

// New starts a meeting with a random name and returns its invite link.
func (m *Meetings) New(ctx context.Context) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if m.h == nil {
		h, err := New(m.Config)
		if err != nil {
			return "", err
		}
		m.h, m.groups, m.served = h, map[string]bool{}, make(chan struct{})
		go func(h *Host, served chan struct{}) {
			defer close(served)
			if err := h.Serve(context.Background()); err != nil && m.OnServeError != nil {
				m.OnServeError(err)
			}
		}(h, m.served)
	}
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	name := "kaigi-" + hex.EncodeToString(b[:])
	if err := m.h.CreateGroup(name); err != nil {
		m.stopIfIdle()
		return "", err
	}
	m.groups[name] = true
	return m.h.InviteLink(name)
}

// End ends the meeting an invite link leads to, for everyone in it; after
// the last meeting the host stops listening.
func (m *Meetings) End(invite string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.h == nil {
		return
	}
	if l, err := link.Parse(invite); err == nil && m.groups[l.Group] {
		delete(m.groups, l.Group)
		_ = m.h.EndGroup(l.Group)
	}
	m.stopIfIdle()
}

// HostToken is the token with which the host of the meeting an invite
// link leads to joins it, to run it ("" for a meeting not hosted here).
func (m *Meetings) HostToken(invite string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, err := link.Parse(invite)
	if m.h == nil || err != nil || !m.groups[l.Group] {
		return ""
	}
	return m.h.HostToken(l.Group)
}

// Hosting says whether a host is running (it listens on Addr).
func (m *Meetings) Hosting() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.h != nil
}

// Addr is where the running host listens ("" when none runs).
func (m *Meetings) Addr() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.h == nil {
		return ""
	}
	return m.h.Addr().String()
}

// Close ends every meeting and stops the host.
func (m *Meetings) Close() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.groups = nil
	m.stopIfIdle()
}

// stopIfIdle stops the host when no meeting is left; it returns once the
// port is closed. m.mu is held.
func (m *Meetings) stopIfIdle() {
	if m.h == nil || len(m.groups) > 0 {
		return
	}
	m.h.Close()
	<-m.served
	m.h, m.groups, m.served = nil, nil, nil
}

// CreateGroupWithToken makes a group whose token is given (CreateGroup
// makes a fresh one), so that invite links stay valid when a host is
// restarted for the same group.
func (h *Host) CreateGroupWithToken(name, token string) error {
	if !link.ValidGroup(name) {
		return ErrBadName
	}
	if len(token) < 16 {
		return errors.New("host: token too short")
	}
	opToken, err := NewToken()
	if err != nil {
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.groups[name]; ok {
		return ErrGroupExists
	}
	h.groups[name] = newGroup(h, name, token, opToken)
	return nil
}

// NewToken is a fresh random group token.
func NewToken() (string, error) {
	var b [18]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("host: token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}
