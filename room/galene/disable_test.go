package galene_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"kaigi/media"
	"kaigi/room"
	"kaigi/room/galene"
	"kaigi/room/link"
)

// TestDisabledAsGalene: someone in a Galène-protocol room presses
// Disable in Galène's own web client, which closes their camera's up
// stream (picture and sound). The others are told that both are gone
// (TrackRemoved: the tile goes to initials) and the pictures stop; the
// last picture does not stay frozen on a tile that says video is on.
func TestDisabledAsGalene(t *testing.T) {
	_, invite := startHost(t, "disable")
	l, err := link.Parse(invite)
	if err != nil {
		t.Fatal(err)
	}
	fake, err := media.NewFakeLocal(320, 240, 30, 440)
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	ann, err := dial()(context.Background(), room.JoinOptions{Link: l, Name: "ann", Local: fake})
	if err != nil {
		t.Fatal(err)
	}
	defer ann.Leave()
	go func() {
		for range ann.Events() {
		}
	}()

	remote, err := media.NewRemote(media.RemoteConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer remote.Close()
	ben, err := dial()(context.Background(), room.JoinOptions{Link: l, Name: "ben", Remote: remote})
	if err != nil {
		t.Fatal(err)
	}
	defer ben.Leave()
	var mu sync.Mutex
	var annID string
	videoGone, soundGone := make(chan struct{}), make(chan struct{})
	var videoOnce, soundOnce sync.Once
	go func() {
		for ev := range ben.Events() {
			mu.Lock()
			switch e := ev.(type) {
			case room.ParticipantJoined:
				if e.Participant.Name == "ann" {
					annID = e.Participant.ID
				}
			case room.TrackRemoved:
				switch {
				case e.ParticipantID != annID:
				case e.Kind == room.Video:
					videoOnce.Do(func() { close(videoGone) })
				case e.Kind == room.Audio:
					soundOnce.Do(func() { close(soundGone) })
				}
			}
			mu.Unlock()
		}
	}()
	of := func() media.PeerStats {
		mu.Lock()
		id := annID
		mu.Unlock()
		for _, p := range remote.Stats() {
			if p.ParticipantID == id {
				return p
			}
		}
		return media.PeerStats{}
	}
	deadline := time.Now().Add(15 * time.Second)
	for of().VideoFrames < 10 || of().AudioPackets < 10 {
		if time.Now().After(deadline) {
			t.Fatalf("ann's media did not arrive: %+v", of())
		}
		time.Sleep(100 * time.Millisecond)
	}

	if err := galene.Disable(ann); err != nil {
		t.Fatal(err)
	}
	for what, gone := range map[string]chan struct{}{"video": videoGone, "sound": soundGone} {
		select {
		case <-gone:
		case <-time.After(5 * time.Second):
			t.Fatalf("ben was not told that ann's %s is gone, 5 s after she pressed Disable", what)
		}
	}
	time.Sleep(500 * time.Millisecond)
	before := of()
	time.Sleep(2 * time.Second)
	after := of()
	if n := after.VideoFrames - before.VideoFrames; n > 0 {
		t.Errorf("%d pictures of ann's disabled camera arrived", n)
	}
}
