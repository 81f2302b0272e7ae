package app

import (
	"context"
	"testing"
	"time"

	"kaigi/bench/crowd"
	"kaigi/room"
	"kaigi/room/call"
	"kaigi/room/link"
	"kaigi/room/livekit"
	"kaigi/room/livekit/livekittest"
)

// TestLargeMeetingPageOne: joining a LiveKit room of 49 others (4 with
// video, 4 with only sound, the rest without media), the people with
// their cameras on are on page 1 — not wherever the roster happened to
// put them.
func TestLargeMeetingPageOne(t *testing.T) {
	if testing.Short() {
		t.Skip("a crowd in a real LiveKit room")
	}
	srv := livekittest.Start(t, livekittest.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cr, err := crowd.Start(ctx, crowd.Config{URL: srv.URL, Key: livekittest.Key, Secret: livekittest.Secret,
		Room: "large", Silent: 41, Audio: 4, Video: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer cr.Stop()

	a := newTestApp(t, Options{FakeMedia: true, Join: func(ctx context.Context, o room.JoinOptions) (room.Session, error) {
		return livekit.Dial(ctx, o)
	}})
	l := link.Link{Kind: link.LiveKit, ServerURL: srv.URL, URL: srv.URL,
		Token: livekittest.Token(t, "large", "aiko", "Aiko", time.Hour)}
	ui(func() { a.state.Name = "Aiko"; a.openLobby(l) })
	tap(button(a, "Join now"))
	waitFor(t, "the call", func() bool { return a.state.Call != nil })
	c := callOf(a)
	defer ui(func() { a.leaveCall(c) })
	// A crowd on a busy machine: longer than waitFor's 10 s.
	waitWithin(t, 40*time.Second, "everyone", func() bool { return c.m.Len() == 50 })
	waitWithin(t, 40*time.Second, "four videos on page 1", func() bool {
		page, _, _ := call.Page(c.m.IDs(), 0, pageSize)
		n := 0
		for _, id := range page {
			if id != c.selfID && c.m.Person(id).HasVideo {
				n++
			}
		}
		return n == 4
	})
}
