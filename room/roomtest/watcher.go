package roomtest

import (
	"context"
	"sync"
	"testing"

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

	mu  sync.Mutex
	ids map[string]string // name -> participant id
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
			if e, ok := ev.(room.ParticipantJoined); ok {
				w.mu.Lock()
				w.ids[e.Participant.Name] = e.Participant.ID
				w.mu.Unlock()
			}
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
