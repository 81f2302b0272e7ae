package livekit

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"kaigi/headless"
	"kaigi/internal/race"
	"kaigi/media"
	"kaigi/room"
	"kaigi/room/link"
	"kaigi/room/livekit/livekittest"
	"kaigi/room/roomtest"
)

// These tests run a real livekit-server (and redis-server for the
// cluster) on loopback, and real headless participants with the real
// codecs.

func lkLink(url, token string) link.Link {
	return link.Link{Kind: link.LiveKit, ServerURL: url, Token: token, URL: url + "?token=" + token}
}

type member struct {
	name     string
	tone     float64
	url      string
	duration time.Duration
	chat     string
	mute     time.Duration
}

func runAll(t *testing.T, roomName string, ps []member) []headless.Result {
	t.Helper()
	results := make([]headless.Result, len(ps))
	var wg sync.WaitGroup
	for i, p := range ps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok := livekittest.Token(t, roomName, p.name, p.name, time.Hour)
			res, err := headless.Run(context.Background(), headless.Options{
				Link: lkLink(p.url, tok), Name: p.name, Duration: p.duration, ToneHz: p.tone,
				Chat: p.chat, MuteAfter: p.mute, Dial: Dial,
			})
			if err != nil {
				t.Errorf("%s: %v", p.name, err)
			}
			results[i] = res
		}()
	}
	wg.Wait()
	return results
}

func peerNamed(r headless.Result, name string) *headless.Peer {
	for i := range r.Peers {
		if r.Peers[i].Name == name {
			return &r.Peers[i]
		}
	}
	return nil
}

// checkPair checks that a saw b's video and heard b's tone.
func checkPair(t *testing.T, a, b headless.Result, aName, bName string, bTone float64, seconds float64) {
	t.Helper()
	p := peerNamed(a, bName)
	if p == nil {
		t.Errorf("%s never saw %s: %+v", aName, bName, a.Peers)
		return
	}
	// b sent 30 fps for the time both were in the room.
	if want := race.Flowed(30 * seconds); float64(p.VideoFrames) < want {
		t.Errorf("%s decoded %d frames of %s, want ≥ %.0f", aName, p.VideoFrames, bName, want)
	}
	if !race.Enabled && math.Abs(p.ToneHz-bTone) > 3 {
		t.Errorf("%s heard %.1f Hz from %s, want %.0f", aName, p.ToneHz, bName, bTone)
	}
}

func TestTwoParticipants(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent(), goleak.IgnoreTopFunction("github.com/livekit/server-sdk-go/v2/pkg/jitter.(*Buffer).Pop"))
	srv := livekittest.Start(t, livekittest.Options{})
	res := runAll(t, "pair", []member{
		{name: "alice", tone: 440, url: srv.URL, duration: 12 * time.Second, chat: "こんにちは from alice"},
		{name: "bob", tone: 660, url: srv.URL, duration: 10 * time.Second, chat: "hi from bob", mute: 8 * time.Second},
	})
	alice, bob := res[0], res[1]
	t.Logf("alice: %+v", alice)
	t.Logf("bob: %+v", bob)
	checkPair(t, alice, bob, "alice", "bob", 660, 6.5)
	checkPair(t, bob, alice, "bob", "alice", 440, 8)
	if len(alice.Chat) == 0 || alice.Chat[0].Text != "hi from bob" || alice.Chat[0].From != "bob" {
		t.Errorf("alice's chat: %+v", alice.Chat)
	}
	if len(bob.Chat) == 0 || bob.Chat[0].Text != "こんにちは from alice" {
		t.Errorf("bob's chat: %+v", bob.Chat)
	}
	if p := peerNamed(alice, "bob"); p == nil || !p.VideoMuted || !p.AudioMuted {
		t.Errorf("alice did not see bob mute: %+v", p)
	}
	if p := peerNamed(alice, "bob"); p == nil || !p.Left {
		t.Errorf("alice did not see bob leave: %+v", p)
	}
	if alice.ConnectedMs <= 0 || alice.FirstFrameMs < alice.ConnectedMs {
		t.Errorf("alice connected at %.0f ms, first frame at %.0f ms", alice.ConnectedMs, alice.FirstFrameMs)
	}
}

// TestCluster joins each participant through a different node of a
// two-node cluster that shares a redis-server.
func TestCluster(t *testing.T) {
	redis := livekittest.StartRedis(t)
	n1 := livekittest.Start(t, livekittest.Options{Redis: redis})
	n2 := livekittest.Start(t, livekittest.Options{Redis: redis})
	res := runAll(t, "cluster", []member{
		{name: "alice", tone: 440, url: n1.URL, duration: 10 * time.Second, chat: "via node 1"},
		{name: "bob", tone: 660, url: n2.URL, duration: 10 * time.Second, chat: "via node 2"},
	})
	checkPair(t, res[0], res[1], "alice", "bob", 660, 6.5)
	checkPair(t, res[1], res[0], "bob", "alice", 440, 6.5)
	if len(res[0].Chat) == 0 || len(res[1].Chat) == 0 {
		t.Errorf("chat did not cross the cluster: %+v / %+v", res[0].Chat, res[1].Chat)
	}
}

// TestBadInput: every failure is specific and comes within 10 s.
func TestBadInput(t *testing.T) {
	srv := livekittest.Start(t, livekittest.Options{})
	notLiveKit := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<html>a web site</html>"))
	}))
	defer notLiveKit.Close()
	closed := livekittest.FreePorts(t, 1)[0]
	forged := livekittest.Token(t, "r", "x", "x", time.Hour)
	forged = forged[:len(forged)-4] + "AAAA"
	cases := []struct {
		name string
		l    link.Link
		want error
	}{
		{"expired token", lkLink(srv.URL, livekittest.ExpiredToken(t, "r", "x")), room.ErrUnauthorized},
		{"forged token", lkLink(srv.URL, forged), room.ErrUnauthorized},
		{"nothing listening", lkLink("ws://127.0.0.1:"+strconv.Itoa(closed), "token"), room.ErrUnreachable},
		{"not LiveKit", lkLink("ws"+notLiveKit.URL[len("http"):], "token"), room.ErrNotARoom},
	}
	for _, c := range cases {
		start := time.Now()
		s, err := Dial(context.Background(), room.JoinOptions{Link: c.l, Name: "x"})
		if s != nil {
			s.Leave()
		}
		if !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%s: took %s", c.name, d)
		}
	}
}

// TestServerDropsMidCall kills the server under a participant: the
// session reports reconnecting, then ends in ErrDisconnected within 10 s.
func TestServerDropsMidCall(t *testing.T) {
	srv := livekittest.Start(t, livekittest.Options{})
	done := make(chan error, 1)
	start := make(chan struct{})
	go func() {
		tok := livekittest.Token(t, "drop", "carol", "carol", time.Hour)
		_, err := headless.Run(context.Background(), headless.Options{Link: lkLink(srv.URL, tok), Name: "carol",
			Duration: time.Minute, Dial: func(ctx context.Context, o room.JoinOptions) (room.Session, error) {
				s, err := Dial(ctx, o)
				close(start)
				return s, err
			}})
		done <- err
	}()
	<-start
	time.Sleep(2 * time.Second)
	killed := time.Now()
	srv.Stop()
	select {
	case err := <-done:
		if !errors.Is(err, room.ErrDisconnected) {
			t.Errorf("after the server died: %v", err)
		}
		if d := time.Since(killed); d > 10*time.Second {
			t.Errorf("the failure came %.1f s after the server died", d.Seconds())
		}
		t.Logf("session failed %.1f s after the server died", time.Since(killed).Seconds())
	case <-time.After(30 * time.Second):
		t.Fatal("no failure 30 s after the server died")
	}
}

func TestVideoSelection(t *testing.T) {
	srv := livekittest.Start(t, livekittest.Options{})
	roomtest.VideoSelection(t, Dial, func(name string) link.Link {
		return lkLink(srv.URL, livekittest.Token(t, "big", name, name, time.Hour))
	})
}

// bitrateLocal is real synthetic media that notes every target bitrate it
// is given before passing it to its encoder.
type bitrateLocal struct {
	*media.Local
	mu    sync.Mutex
	rates []int
}

func (b *bitrateLocal) SetVideoBitrate(bps int) {
	b.mu.Lock()
	b.rates = append(b.rates, bps)
	b.mu.Unlock()
	b.Local.SetVideoBitrate(bps)
}

func (b *bitrateLocal) seen() []int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.rates)
}

// TestEstimateReachesEncoder: in a LiveKit room, congestion control's
// estimate of what the network allows sets our video encoder's bitrate
// (the SFU's transport-wide feedback drives it).
func TestEstimateReachesEncoder(t *testing.T) {
	srv := livekittest.Start(t, livekittest.Options{})
	fake, err := media.NewFakeLocal(640, 480, 30, 440)
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	local := &bitrateLocal{Local: fake}
	tok := livekittest.Token(t, "estimate", "dana", "dana", time.Hour)
	s, err := Dial(context.Background(), room.JoinOptions{Link: lkLink(srv.URL, tok), Name: "dana", Local: local})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Leave()
	go func() {
		for range s.Events() {
		}
	}()
	deadline := time.Now().Add(15 * time.Second)
	for len(local.seen()) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no estimate reached the encoder in 15 s (sent %+v)", fake.Stats())
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(2 * time.Second)
	rates := local.seen()
	t.Logf("estimates given to the encoder: %v", rates)
	for _, r := range rates {
		if r < 100_000 || r > 2_500_000 {
			t.Errorf("estimate %d bit/s outside congestion control's bounds", r)
		}
	}
}

// TestScreenShare: a share of a page of text reaches another participant
// through livekit-server, readable (OCR), and stops and starts again.
func TestScreenShare(t *testing.T) {
	srv := livekittest.Start(t, livekittest.Options{})
	res := roomtest.ScreenShare(t, Dial, func(name string) link.Link {
		return lkLink(srv.URL, livekittest.Token(t, "share", name, name, time.Hour))
	}, 1280, 720)
	t.Logf("after Share: published %v, first frame sent %v, first picture received %v; %dx%d", res.Published, res.FirstSent, res.FirstPicture, res.Width, res.Height)
}
