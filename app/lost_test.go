package app

import (
	"context"
	"errors"
	"io"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"kaigi/room"
	"kaigi/room/galene"
	"kaigi/room/host"
	"kaigi/room/link"
)

// TestLostCallKeepsChat: the meeting's host goes away while Aiko is in
// the call. She types a chat line while the call says Reconnecting; the
// call is lost (past a 2 s reconnect limit), and the screen that says so
// shows the line as not sent. The host comes back at the same address;
// Rejoin takes her in and the line goes out once (the host echoes it).
func TestLostCallKeepsChat(t *testing.T) {
	// The app reaches the host through a proxy that can be cut: the
	// connection goes as on a dead network, with no goodbye. The host
	// names the proxy's address (127.0.0.2, its own port) in its links.
	h, err := host.New(host.Config{Listen: "127.0.0.1:0", PublicHost: "127.0.0.2", Insecure: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	if err := h.CreateGroup("lost"); err != nil {
		t.Fatal(err)
	}
	go h.Serve(context.Background())
	_, port, _ := net.SplitHostPort(h.Addr().String())
	p := newCutProxy(t, net.JoinHostPort("127.0.0.2", port), h.Addr().String())
	invite, _ := h.InviteLink("lost")
	l, _ := link.Parse(invite)
	a := newTestApp(t, Options{FakeMedia: true, Join: func(ctx context.Context, o room.JoinOptions) (room.Session, error) {
		return galene.Options{ReconnectFor: 2 * time.Second}.Dial(ctx, o)
	}})
	ui(func() { a.state.Name = "Aiko"; a.openLobby(l) })
	tap(button(a, "Join now"))
	waitFor(t, "the call screen", func() bool { return a.state.Screen == ScreenCall })

	p.cut()
	waitFor(t, "Reconnecting", func() bool { return a.state.Call != nil && a.state.Call.m.State == room.Reconnecting })
	const line = "Are you still there? 聞こえますか"
	ui(func() {
		c := a.state.Call
		c.chatEntry.SetText(line)
		a.sendChat(c)
	})
	waitFor(t, "the lost call's screen", func() bool { return a.state.Screen == ScreenJoining && a.state.CallLost })
	for _, want := range []string{"You were disconnected", "Chat not sent (1):", line, "Sent when you rejoin."} {
		if !on(func() bool { return shows(a, want) }) {
			t.Errorf("the lost call's screen does not show %q", want)
		}
	}

	p.resume()
	tap(button(a, "Rejoin"))
	tap(button(a, "Join now"))
	waitFor(t, "the call screen again", func() bool { return a.state.Screen == ScreenCall })
	echoed := func() int {
		n := 0
		for _, m := range a.state.Call.m.Chat {
			if m.Text == line && !m.History {
				n++
			}
		}
		return n
	}
	waitFor(t, "the line sent after rejoining", func() bool { return a.state.Call != nil && echoed() > 0 })
	time.Sleep(500 * time.Millisecond)
	if n := on(echoed); n != 1 {
		t.Errorf("the line arrived %d times", n)
	}
	if on(func() int { return len(a.state.UnsentChat) }) != 0 {
		t.Error("the line is still held after it was sent")
	}
}

// cutProxy passes TCP connections to a server until cut, which closes
// them all and stops listening; resume listens again at the same address.
type cutProxy struct {
	t     *testing.T
	addr  string
	to    string
	mu    sync.Mutex
	ln    net.Listener
	conns []net.Conn
}

func newCutProxy(t *testing.T, addr, to string) *cutProxy {
	p := &cutProxy{t: t, addr: addr, to: to}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	p.serve(ln)
	t.Cleanup(p.cut)
	return p
}

func (p *cutProxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", p.to)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, s)
			p.mu.Unlock()
			go func() { io.Copy(s, c); s.Close() }()
			go func() { io.Copy(c, s); c.Close() }()
		}
	}()
}

func (p *cutProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func (p *cutProxy) resume() {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Fatal(err)
	}
	p.serve(ln)
}

// TestChatSendingMark: our line held while the call reconnects says
// "sending…" in the chat until the session reports it went out.
func TestChatSendingMark(t *testing.T) {
	a, c := chatOpenCall(t)
	ui(func() {
		a.onCallEvent(c, room.ChatMessage{ID: "x1", FromID: "me", FromName: "Me", Text: "held line", Time: time.Now(), Sending: true})
	})
	sending := func() bool {
		return on(func() bool {
			for _, o := range c.chatList.Objects {
				if who, ok := o.(*fyne.Container).Objects[0].(*widget.Label); ok && strings.HasSuffix(who.Text, "sending…") {
					return true
				}
			}
			return false
		})
	}
	if !on(func() bool { return shows(a, "held line") }) || !sending() {
		t.Fatal("the held line is not shown as sending")
	}
	ui(func() { a.onCallEvent(c, room.ChatSent{ID: "x1"}) })
	if sending() {
		t.Error("the line still says sending after it went out")
	}
}

// againSession is a session that only takes chat (the test feeds the
// rest by hand).
type againSession struct {
	room.Session
	sent []string
}

func (s *againSession) Leave() error { return nil }

func (s *againSession) SendChat(text string) error {
	s.sent = append(s.sent, text)
	return nil
}

// TestChatNotSentAgain: a held line the session could not send when its
// turn came says so and offers to send it again; leaving first warns that
// it would be lost; sending it again replaces it.
func TestChatNotSentAgain(t *testing.T) {
	a, c := chatOpenCall(t)
	s := &againSession{}
	c.session = s
	ui(func() {
		a.onCallEvent(c, room.ChatMessage{ID: "x2", FromID: "me", FromName: "Me", Text: "refused line", Time: time.Now(), Sending: true})
		a.onCallEvent(c, room.ChatSent{ID: "x2", Err: errors.New("data channel closed")})
	})
	if !on(func() bool { return shows(a, "Me") && shows(a, "· not sent") && !shows(a, "sending…") }) {
		t.Fatal("the refused line does not say it was not sent")
	}
	again := button(a, "Send again")
	if again == nil {
		t.Fatal("no Send again on the refused line")
	}
	ui(func() { a.confirmLeave(c) })
	if !overlayShows(a, "A chat message of yours has not been sent and will be lost.") {
		t.Error("leaving does not warn of the chat not sent")
	}
	ui(func() { a.modal.dismiss() })
	tap(again)
	if !slices.Equal(s.sent, []string{"refused line"}) {
		t.Errorf("sent again %q", s.sent)
	}
	if on(func() bool { return shows(a, "refused line") || len(c.chatList.Objects) != 0 || len(c.m.Unsent()) != 0 }) {
		t.Error("the refused line stayed after it was sent again")
	}
}
