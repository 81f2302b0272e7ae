package galene_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"kaigi/room"
	"kaigi/room/galene"
	"kaigi/room/link"
	"kaigi/room/wire"
	"kaigi/rtc"
)

// fakeServer is a Galène-protocol server that joins everyone, names the
// users of its roster, and can drop every connection as a crashed server
// does (no close frame, no goodbye).
type fakeServer struct {
	srv     *httptest.Server
	roster  atomic.Value // []string: the other users it announces
	joins   atomic.Int32
	dropped chan struct{}
}

func newFakeServer(t *testing.T, roster ...string) *fakeServer {
	f := &fakeServer{dropped: make(chan struct{})}
	f.roster.Store(roster)
	upgrader := websocket.Upgrader{}
	mux := http.NewServeMux()
	mux.HandleFunc("/group/g/.status", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(wire.Status{Name: "g", Location: "/group/g/", Endpoint: "/ws"})
	})
	mux.HandleFunc("/ws", func(w http.ResponseWriter, r *http.Request) {
		c, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		done := make(chan struct{})
		defer close(done)
		go func() {
			select {
			case <-f.dropped:
				c.UnderlyingConn().Close()
			case <-done:
			}
		}()
		for {
			var m wire.Message
			if err := c.ReadJSON(&m); err != nil {
				return
			}
			if m.Type == "join" && m.Kind == "join" {
				f.joins.Add(1)
				c.WriteJSON(wire.Message{Type: "joined", Kind: "join", Group: "g", Username: m.Username})
				for _, name := range f.roster.Load().([]string) {
					c.WriteJSON(wire.Message{Type: "user", Kind: "add", ID: "id-" + name, Username: &name})
				}
			}
		}
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeServer) link() link.Link {
	return link.Link{Kind: link.Galene, URL: f.srv.URL + "/group/g/", GroupURL: f.srv.URL + "/group/g/", Group: "g"}
}

// drop cuts every connection at once; later ones are dropped too.
func (f *fakeServer) drop() { close(f.dropped) }

// until reads events until want returns true or the time is up.
func until(t *testing.T, s room.Session, within time.Duration, want func(room.Event) bool) bool {
	t.Helper()
	timeout := time.After(within)
	for {
		select {
		case e, ok := <-s.Events():
			if !ok {
				return false
			}
			if want(e) {
				return true
			}
		case <-timeout:
			return false
		}
	}
}

func state(st room.State) func(room.Event) bool {
	return func(e room.Event) bool {
		se, ok := e.(room.StateEvent)
		return ok && se.State == st
	}
}

// TestReconnectRejoinsAndForgetsWhoLeft: the server drops the connection;
// the session says Reconnecting, joins again by itself, and removes from
// the roster whoever the new user list no longer names.
func TestReconnectRejoinsAndForgetsWhoLeft(t *testing.T) {
	f := newFakeServer(t, "ann", "ben")
	s, err := galene.Options{Setting: rtc.Loopback()}.Dial(context.Background(), room.JoinOptions{Link: f.link(), Name: "cat"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Leave()
	if !until(t, s, 3*time.Second, func(e room.Event) bool {
		j, ok := e.(room.ParticipantJoined)
		return ok && j.Participant.Name == "ben"
	}) {
		t.Fatal("ben never joined")
	}
	f.roster.Store([]string{"ann"}) // ben leaves while we are away
	f.dropped <- struct{}{}         // the current connection drops (one receiver)
	if !until(t, s, 3*time.Second, state(room.Reconnecting)) {
		t.Fatal("no Reconnecting after the connection dropped")
	}
	if !until(t, s, 5*time.Second, state(room.Connected)) {
		t.Fatal("not Connected again")
	}
	if !until(t, s, 5*time.Second, func(e room.Event) bool {
		l, ok := e.(room.ParticipantLeft)
		if ok && l.ID != "id-ben" {
			t.Errorf("%s removed, but only ben left", l.ID)
		}
		return ok
	}) {
		t.Error("ben, gone meanwhile, stayed in the roster")
	}
	if n := f.joins.Load(); n != 2 {
		t.Errorf("%d joins, want 2", n)
	}
}

// TestReconnectGivesUp: a server gone for good ends the call after the
// limit, with the reason, not before and not never.
func TestReconnectGivesUp(t *testing.T) {
	f := newFakeServer(t)
	s, err := galene.Options{Setting: rtc.Loopback(), ReconnectFor: 2 * time.Second}.Dial(context.Background(), room.JoinOptions{Link: f.link(), Name: "cat"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Leave()
	f.srv.Close() // the listener goes, then the connection
	f.drop()
	start := time.Now()
	if !until(t, s, 3*time.Second, state(room.Reconnecting)) {
		t.Fatal("no Reconnecting")
	}
	var failed room.StateEvent
	if !until(t, s, 6*time.Second, func(e room.Event) bool {
		se, ok := e.(room.StateEvent)
		failed = se
		return ok && se.State == room.Failed
	}) {
		t.Fatal("never gave up")
	}
	if d := time.Since(start); d < 1500*time.Millisecond {
		t.Errorf("gave up after %s, before the 2 s limit", d)
	}
	if !errors.Is(failed.Err, room.ErrUnreachable) {
		t.Errorf("failed with %v, want the server unreachable", failed.Err)
	}
}
