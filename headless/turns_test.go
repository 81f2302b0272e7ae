package headless_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"kaigi/headless"
	"kaigi/internal/turns"
	"kaigi/room/galene"
	"kaigi/room/host"
	"kaigi/room/link"
)

// TestTurnsAndMute is a meeting as bench/hosted.sh holds it: two people
// taking turns, one muted, a camera (a replayed loop) muted, one
// listening. The muted ones send only what Kaigi sends for silence (Opus
// DTX: a frame every 400 ms), the speakers their tone only in their turns;
// the listener hears the speakers and sees the camera (the host forwards a
// stream once each of its tracks has brought a packet: a muted replay
// that sent no sound at all was never seen).
func TestTurnsAndMute(t *testing.T) {
	l := hostedMeeting(t, "turns")
	const stay = 6 * time.Second
	start := time.Now()
	// Four take turns from 1 s: 0 and 2 speak from 1 s to 4 s, 1 and 3
	// from 4 s to 7 s; 2 and 3 are not here.
	schedule := turns.Schedule{N: 4, Start: start.Add(time.Second)}
	base := headless.Options{Link: l, Dial: galene.Dial, Duration: stay, Start: start, NoVideo: true, SendOnly: true}
	first, second, muted, cam, ear := base, base, base, base, base
	first.Name, first.Turns, first.Turn = "first", schedule, 0
	second.Name, second.Turns, second.Turn, second.ToneHz = "second", schedule, 1, 500
	muted.Name, muted.StartAudioMuted, muted.ToneHz = "muted", true, 600
	cam.Name, cam.StartAudioMuted, cam.NoVideo, cam.Replay, cam.Width, cam.Height, cam.FPS = "cam", true, false, true, 160, 120, 10
	ear.Name, ear.SendOnly, ear.CountOnly, ear.StartAudioMuted = "ear", false, true, true
	var wg sync.WaitGroup
	res := map[string]headless.Result{}
	var mu sync.Mutex
	for _, o := range []headless.Options{first, second, muted, cam, ear} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := headless.Run(context.Background(), o)
			if err != nil {
				t.Errorf("%s: %v", o.Name, err)
			}
			mu.Lock()
			res[o.Name] = r
			mu.Unlock()
		}()
	}
	wg.Wait()
	heard, seen := map[string]int{}, map[string]int{}
	for _, p := range res["ear"].Peers {
		heard[p.Name], seen[p.Name] = p.AudioPackets, p.VideoFrames
	}
	full := int(stay / (20 * time.Millisecond)) // a tone throughout: 300 packets
	for _, name := range []string{"first", "second", "muted", "cam"} {
		t.Logf("%s sent %d audio packets (%d for the tone throughout), the ear got %d", name, res[name].Sent.AudioPackets, full, heard[name])
	}
	// The speakers: each at most its 3 s turn and what DTX sends besides
	// (about 2.5 packets a second).
	for _, name := range []string{"first", "second"} {
		if n := res[name].Sent.AudioPackets; n > full*3/4 {
			t.Errorf("%s sent %d packets of %d: speaks out of turn", name, n, full)
		}
		if heard[name] == 0 {
			t.Errorf("the ear heard nothing of %s", name)
		}
	}
	if n := res["first"].Sent.AudioPackets; n < full/4 {
		t.Errorf("first sent %d packets of %d: did not speak in its turn", n, full)
	}
	for _, name := range []string{"muted", "cam"} {
		if n := res[name].Sent.AudioPackets; n > full/5 {
			t.Errorf("%s sent %d packets of %d: more than silence", name, n, full)
		}
	}
	if seen["cam"] == 0 {
		t.Errorf("the ear saw nothing of the muted camera: %+v", res["ear"].Peers)
	}
}

// hostedMeeting hosts a meeting in this process until the test ends, and
// gives its link.
func hostedMeeting(t *testing.T, group string) link.Link {
	t.Helper()
	h, err := host.New(host.Config{Listen: "127.0.0.1:0", PublicHost: "127.0.0.1", Insecure: true, Setting: host.LoopbackSetting()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	if err := h.CreateGroup(group); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go func() { _ = h.Serve(ctx) }()
	inv, err := h.InviteLink(group)
	if err != nil {
		t.Fatal(err)
	}
	l, err := link.Parse(inv)
	if err != nil {
		t.Fatal(err)
	}
	return l
}
