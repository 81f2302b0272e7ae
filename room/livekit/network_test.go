package livekit

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"kaigi/headless"
	"kaigi/media"
	"kaigi/room"
	"kaigi/room/livekit/livekittest"
	"kaigi/room/roomtest"
	"kaigi/rtc/netsim"
)

// These tests put a headless Kaigi publisher (this test binary, run
// again inside a network namespace) behind an impaired uplink, with a
// real livekit-server and a receiver on the machine's side, and check
// what the receiver gets.

// publisherEnv carries a publisher's orders into the namespace.
const publisherEnv = "KAIGI_TEST_PUBLISHER"

type publisherOrders struct {
	URL, Token, Stats string
	Duration          time.Duration
	Chat              string
	ChatAfter         time.Duration
	NoAdaptation      bool
}

func TestMain(m *testing.M) {
	var o publisherOrders
	netsim.Main(m, publisherEnv, &o, func() int { return runPublisher(o) })
}

// runPublisher is the process inside the namespace.
func runPublisher(o publisherOrders) int {
	_, err := headless.Run(context.Background(), headless.Options{Link: lkLink(o.URL, o.Token), Name: "pub", Duration: o.Duration,
		ToneHz: 440, Chat: o.Chat, ChatAfter: o.ChatAfter, NoAdaptation: o.NoAdaptation, StatsPath: o.Stats, SendOnly: true, Dial: Dial})
	if err != nil {
		fmt.Fprintln(os.Stderr, "publisher:", err)
		return 1
	}
	return 0
}

// timeline is the receiver's view, sampled every 50 ms.
type timeline struct {
	samples roomtest.Timeline
	chat    []string
	sent    headless.Result
	pubOut  string
}

// scenario is one run: the publisher behind link for d, impair called
// with the time since the receiver's first picture every 50 ms (it
// changes the link as its script says).
type scenario struct {
	name         string
	d            time.Duration
	chat         string
	chatAfter    time.Duration
	noAdaptation bool
	impair       func(l *netsim.Link, since time.Duration) error
}

func runImpaired(t *testing.T, sc scenario) *timeline {
	t.Helper()
	if testing.Short() {
		// make race runs -short: these measure rates and gaps, which the
		// detector's slowness would decide, and the ordinary run checks.
		t.Skip("an impaired network measured for 20-35 s")
	}
	l := netsim.New(t, "lk"+sc.name)
	srv := livekittest.Start(t, livekittest.Options{Address: l.Host})
	roomName := "net-" + sc.name

	remote, err := media.NewRemote(media.RemoteConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer remote.Close()
	recv, err := Dial(context.Background(), room.JoinOptions{Link: lkLink(srv.URL, livekittest.Token(t, roomName, "recv", "recv", time.Hour)),
		Name: "recv", Remote: remote})
	if err != nil {
		t.Fatal(err)
	}
	tl := &timeline{}
	var mu sync.Mutex
	events := make(chan struct{})
	go func() {
		defer close(events)
		for ev := range recv.Events() {
			if c, ok := ev.(room.ChatMessage); ok && c.FromID == "pub" {
				mu.Lock()
				tl.chat = append(tl.chat, c.Text)
				mu.Unlock()
			}
		}
	}()
	defer func() {
		recv.Leave()
		<-events
	}()

	stats := filepath.Join(t.TempDir(), "pub.json")
	cmd, err := l.Child(context.Background(), publisherEnv, publisherOrders{URL: srv.URL, Token: livekittest.Token(t, roomName, "pub", "pub", time.Hour),
		Stats: stats, Duration: sc.d, Chat: sc.chat, ChatAfter: sc.chatAfter, NoAdaptation: sc.noAdaptation})
	if err != nil {
		t.Fatal(err)
	}
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	var first time.Time
	var impairErr error
	for done := false; !done; {
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("publisher: %v\n%s", err, out.String())
			}
			done = true
		case now := <-tick.C:
			for _, p := range remote.Stats() {
				if p.ParticipantID != "pub" || p.VideoFrames == 0 {
					continue
				}
				if first.IsZero() {
					first = now
				}
				s := roomtest.SampleOf(p, now.Sub(first))
				tl.samples = append(tl.samples, s)
				if sc.impair != nil && impairErr == nil {
					if impairErr = sc.impair(l, s.At); impairErr != nil {
						t.Errorf("impairing the link: %v", impairErr)
					}
				}
			}
		}
	}
	if first.IsZero() {
		t.Fatalf("the receiver never decoded a picture of the publisher\n%s", out.String())
	}
	tl.pubOut = out.String()
	if data, err := os.ReadFile(stats); err == nil {
		_ = json.Unmarshal(data, &tl.sent)
	}
	mu.Lock()
	defer mu.Unlock()
	return tl
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	return len(p), nil
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}

func sec(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// adaptationOff runs the scenarios with the publisher's adaptation off
// (KAIGI_NETWORK_ADAPTATION=off): each must then fail.
func adaptationOff() bool { return os.Getenv("KAIGI_NETWORK_ADAPTATION") == "off" }

// TestNarrowUplink: with 400 kbit/s up, after 10 s of adaptation the
// receiver gets continuous video and all the sound.
func TestNarrowUplink(t *testing.T) {
	tl := runImpaired(t, scenario{name: "narrow", d: 33 * time.Second, noAdaptation: adaptationOff(),
		impair: netsim.At(0, func(l *netsim.Link) error { return l.SetRate(400) })})
	fps, gap, audio, tone := tl.samples.Window(sec(10), sec(30))
	_, last, _ := tl.samples.Between(sec(29), sec(30))
	t.Logf("400 kbit/s: %.1f fps (last %d px wide), longest gap %s, %.1f %% of audio, tone in %.0f %% of quarter seconds; sent %d frames, %.0f kbit/s video",
		fps, last.Width, gap.Round(time.Millisecond), 100*audio, 100*tone, tl.sent.Sent.VideoFrames, tl.sent.Sent.VideoKbps)
	t.Logf("the publisher ended sending %dx%d@%d at a %.0f kbit/s target, paused %d times, stalled %d times",
		tl.sent.Sent.VideoWidth, tl.sent.Sent.VideoHeight, tl.sent.Sent.VideoFPS, tl.sent.Sent.VideoTargetKbps, tl.sent.Sent.VideoPaused, tl.sent.Sent.Stalls)
	if fps < 12 || gap > time.Second {
		t.Errorf("video: %.1f fps, longest gap %s; want ≥ 12 fps, no gap over 1 s", fps, gap)
	}
	if audio < 0.97 {
		t.Errorf("audio: %.1f %% of the packets; want ≥ 97 %%", 100*audio)
	}
	if tone < 0.95 {
		t.Errorf("the tone was there in %.0f %% of quarter seconds", 100*tone)
	}
}

// TestLossyUplink: with 10 % of the UDP packets lost on the way up,
// video keeps its rate and FEC rebuilds the sound.
func TestLossyUplink(t *testing.T) {
	tl := runImpaired(t, scenario{name: "lossy", d: 23 * time.Second, noAdaptation: adaptationOff(),
		impair: netsim.At(0, func(l *netsim.Link) error { return l.SetLoss(10) })})
	fps, gap, audio, tone := tl.samples.Window(sec(5), sec(20))
	a, b, _ := tl.samples.Between(sec(5), sec(20))
	t.Logf("audio in the window: %d decoded or rebuilt, %d of them rebuilt by FEC, %d concealed", b.Audio-a.Audio, b.Recovered-a.Recovered, b.Concealed-a.Concealed)
	t.Logf("10 %% loss: %.1f fps, longest gap %s, %.1f %% of audio, tone in %.0f %% of quarter seconds; sent %.0f kbit/s video, stalled %d times",
		fps, gap.Round(time.Millisecond), 100*audio, 100*tone, tl.sent.Sent.VideoKbps, tl.sent.Sent.Stalls)
	// Issue 14's floor. Before the loss-based estimate had to last
	// (rtc/congestion.go heavyHold), a spike of it turned the top layer
	// off and the receiver got 20.3-27.6 fps on a loaded machine, 24.9 in
	// CI; since, 28.5-30.0 (quiet). Without adaptation the audio check
	// below fails (89 %).
	if fps < 25 {
		t.Errorf("video: %.1f fps; want ≥ 25", fps)
	}
	if audio < 0.98 {
		t.Errorf("audio: %.1f %% of the packets; want ≥ 98 %%", 100*audio)
	}
	if tone < 0.95 {
		t.Errorf("the tone was there in %.0f %% of quarter seconds", 100*tone)
	}
}

// TestOutage: the network goes away for 5 s; the publisher stops pushing
// full rate into the dead link within about a second (its video falls to
// the lowest rung when feedback stops), pictures and sound are back
// within 3 s of its return, and chat typed meanwhile arrives once.
func TestOutage(t *testing.T) {
	// KAIGI_NETWORK_OUTAGE (e.g. 25s) lengthens the outage: past the
	// session's reconnect window it must fail (adaptation plays no part
	// in coming back).
	outage := 5 * time.Second
	if d, err := time.ParseDuration(os.Getenv("KAIGI_NETWORK_OUTAGE")); err == nil {
		outage = d
	}
	testOutage(t, outage)
}

// TestLongOutage: the same after 20 s without network, issue 14's longest.
// Before the outbox (outbox.go), the chat typed 4 s into it was still
// waiting for SCTP's doubling retransmission timeout 10 s after the
// network came back.
func TestLongOutage(t *testing.T) { testOutage(t, 20*time.Second) }

func testOutage(t *testing.T, outage time.Duration) {
	const chat = "sent while the network was down"
	down, up := sec(5), sec(5)+outage
	cut := false
	// What the publisher sends into the dead link, counted from a second
	// into the outage to its end.
	var early, late int64
	var countErr error
	count := func(l *netsim.Link, into *int64) {
		n, err := l.OutageSent()
		if err != nil && countErr == nil {
			countErr = err
		}
		*into = n
	}
	tl := runImpaired(t, scenario{name: "outage", d: 15*time.Second + outage, noAdaptation: adaptationOff(),
		chat: chat, chatAfter: 9 * time.Second, // about 2 s into the outage
		impair: func(l *netsim.Link, since time.Duration) error {
			switch {
			case since >= up && cut:
				cut = false
				count(l, &late)
				return l.SetOutage(false)
			case since >= down+sec(1) && cut && early == 0:
				count(l, &early)
			case since >= down && since < up && !cut:
				cut = true
				return l.SetOutage(true)
			}
			return nil
		}})
	video, audio := tl.samples.FirstAfter(up)
	fps, gap, share, _ := tl.samples.Window(up+sec(3), up+sec(7))
	before := tl.sent.Sent.VideoKbps
	intoOutage := float64(late-early) * 8 / (outage - time.Second).Seconds() / 1000
	t.Logf("%s outage: pictures back %s and sound %s after the network; then %.1f fps, longest gap %s, %.1f %% of audio; chat %q",
		outage, video.Round(time.Millisecond), audio.Round(time.Millisecond), fps, gap.Round(time.Millisecond), 100*share, tl.chat)
	t.Logf("sent into the dead link from 1 s into the outage: %d bytes, %.0f kbit/s (video over the whole run: %.0f kbit/s); the publisher stalled %d times, reconnected %d times",
		late-early, intoOutage, before, tl.sent.Sent.Stalls, tl.sent.Reconnects)
	if countErr != nil {
		t.Error(countErr)
	}
	if late == 0 || intoOutage > stalledKbps {
		t.Errorf("sent %.0f kbit/s into the dead link; want at most %d", intoOutage, stalledKbps)
	}
	if video < 0 || video > 3*time.Second {
		t.Errorf("pictures back %s after the network; want within 3 s", video)
	}
	if audio < 0 || audio > 3*time.Second {
		t.Errorf("sound back %s after the network; want within 3 s", audio)
	}
	if n := countOf(tl.chat, chat); n != 1 {
		t.Errorf("the chat sent during the outage arrived %d times: %q", n, tl.chat)
	}
}

// stalledKbps is the most a publisher may send into a dead link once it
// has noticed: sound as RED (~90 kbit/s), the lowest simulcast layer at
// its least (30) and what the pacer still held. Measured 142-199; without
// stall detection 1196; Chromium with livekit-client ~350.
const stalledKbps = 280

func countOf(list []string, s string) int {
	n := 0
	for _, v := range list {
		if v == s {
			n++
		}
	}
	return n
}
