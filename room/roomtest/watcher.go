package roomtest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"kaigi/media"
	"kaigi/room"
	"kaigi/room/link"
)

// watcher is a participant that receives, sends nothing, and can choose
// which videos it is shown (room.VideoSelector).
type watcher struct {
	sess   room.Session
	sel    room.VideoSelector
	remote *media.Remote

	mu     sync.Mutex
	ids    map[string]string // name -> participant id
	events []string          // every other event, with its time, for a failure's log
}

// watch joins as a watcher named "watcher"; the test's end closes it.
func watch(t *testing.T, ctx context.Context, dial room.Dialer, linkFor func(name string) link.Link) *watcher {
	t.Helper()
	remote, err := media.NewRemote(media.RemoteConfig{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { remote.Close() })
	sess, err := dial(ctx, room.JoinOptions{Link: linkFor("watcher"), Name: "watcher", Remote: remote})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sess.Leave() })
	sel, ok := sess.(room.VideoSelector)
	if !ok {
		t.Fatalf("%T is not a room.VideoSelector", sess)
	}
	w := &watcher{sess: sess, sel: sel, remote: remote, ids: map[string]string{}}
	go func() {
		for ev := range sess.Events() {
			w.mu.Lock()
			if e, ok := ev.(room.ParticipantJoined); ok {
				w.ids[e.Participant.Name] = e.Participant.ID
			} else {
				w.events = append(w.events, fmt.Sprintf("%s %T%+v", time.Now().Format("15:04:05.000"), ev, ev))
			}
			w.mu.Unlock()
		}
	}()
	return w
}

// id is the participant id of name ("" until they joined).
func (w *watcher) id(name string) string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.ids[name]
}

// history is the watcher's session events other than people joining,
// one per line, for the log of a check that failed.
func (w *watcher) history() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.events) == 0 {
		return "(no session events)"
	}
	return strings.Join(w.events, "\n")
}

// stats are what was received of each participant, by name.
func (w *watcher) stats() map[string]media.PeerStats {
	out := map[string]media.PeerStats{}
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, s := range w.remote.Stats() {
		for name, id := range w.ids {
			if id == s.ParticipantID {
				out[name] = s
			}
		}
	}
	return out
}
