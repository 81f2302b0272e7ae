package galene_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"testing"
	"time"

	"github.com/pion/webrtc/v4"

	"kaigi/headless"
	"kaigi/media"
	"kaigi/room"
	"kaigi/room/galene"
	"kaigi/room/host"
	"kaigi/room/link"
	"kaigi/room/roomtest"
	"kaigi/rtc/netsim"
)

// TestLossyUplinkHosted puts a headless Kaigi publisher (this test binary
// again, inside a network namespace) behind an uplink that loses 10 % of
// its UDP packets, in a meeting our host serves on the machine's side of
// the link, and checks what a receiver there gets of its sound.

// hostedPublisherEnv carries the publisher's orders into the namespace.
const hostedPublisherEnv = "KAIGI_TEST_HOSTED_PUBLISHER"

type hostedOrders struct {
	Invite, Peer string
	Duration     time.Duration
	NoAdaptation bool
	Chat         string
	ChatAfter    time.Duration
}

func TestMain(m *testing.M) {
	var o hostedOrders
	netsim.Main(m, hostedPublisherEnv, &o, func() int { return runHostedPublisher(o) })
}

func runHostedPublisher(o hostedOrders) int {
	l, err := link.Parse(o.Invite)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	_, err = headless.Run(context.Background(), headless.Options{Link: l, Name: "pub", Duration: o.Duration, ToneHz: 440,
		NoAdaptation: o.NoAdaptation, SendOnly: true, Chat: o.Chat, ChatAfter: o.ChatAfter,
		Dial: galene.Options{Setting: onlyAddress(o.Peer)}.Dial})
	if err != nil {
		fmt.Fprintln(os.Stderr, "publisher:", err)
		return 1
	}
	return 0
}

// onlyAddress keeps ICE on one IPv4 address: the link's ends, never the
// machine's other interfaces.
func onlyAddress(addr string) *webrtc.SettingEngine {
	ip := net.ParseIP(addr)
	s := &webrtc.SettingEngine{}
	s.SetIPFilter(func(a net.IP) bool { return a.Equal(ip) })
	s.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	return s
}

// hostedMeeting starts our host on the machine's end of a new link named
// ns and a receiver in its meeting; the test's cleanups end them.
func hostedMeeting(t *testing.T, ns string) (l *netsim.Link, invite string, remote *media.Remote, recv room.Session) {
	t.Helper()
	l = netsim.New(t, ns)
	h, err := host.New(host.Config{Listen: l.Host + ":0", PublicHost: l.Host, CertDir: t.TempDir(), Setting: onlyAddress(l.Host)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	if err := h.CreateGroup("g"); err != nil {
		t.Fatal(err)
	}
	go h.Serve(context.Background())
	invite, err = h.InviteLink("g")
	if err != nil {
		t.Fatal(err)
	}
	lk, err := link.Parse(invite)
	if err != nil {
		t.Fatal(err)
	}
	remote, err = media.NewRemote(media.RemoteConfig{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { remote.Close() })
	recv, err = galene.Options{Setting: onlyAddress(l.Host)}.Dial(context.Background(), room.JoinOptions{Link: lk, Name: "recv", Remote: remote})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = recv.Leave() })
	return l, invite, remote, recv
}

// runPublisher runs the headless publisher inside l's namespace with
// orders until it ends, and samples every 50 ms what remote has of it
// from the moment begun says it began; each sample goes to each (if set)
// before the next is taken.
func runPublisher(t *testing.T, l *netsim.Link, orders hostedOrders, remote *media.Remote,
	begun func(media.PeerStats) bool, each func(roomtest.Sample)) roomtest.Timeline {
	t.Helper()
	cmd, err := l.Child(context.Background(), hostedPublisherEnv, orders)
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.CreateTemp(t.TempDir(), "pub")
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	var tl roomtest.Timeline
	var first time.Time
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-exited:
			if err != nil {
				log, _ := os.ReadFile(out.Name())
				t.Errorf("publisher: %v\n%s", err, log)
			}
			return tl
		case now := <-tick.C:
			for _, p := range remote.Stats() {
				if !begun(p) {
					continue
				}
				if first.IsZero() {
					first = now
				}
				tl = append(tl, roomtest.SampleOf(p, now.Sub(first)))
				if each != nil {
					each(tl[len(tl)-1])
				}
			}
		}
	}
}

func TestLossyUplinkHosted(t *testing.T) {
	if testing.Short() {
		t.Skip("an impaired network measured for 20 s")
	}
	l, invite, remote, _ := hostedMeeting(t, "hostloss")
	if err := l.SetLoss(10); err != nil {
		t.Fatal(err)
	}
	// What the receiver has of the publisher, from its first sound. The
	// window is 5-20 s after it.
	tl := runPublisher(t, l, hostedOrders{Invite: invite, Peer: l.Peer, Duration: 22 * time.Second,
		NoAdaptation: os.Getenv("KAIGI_NETWORK_ADAPTATION") == "off"}, remote,
		func(p media.PeerStats) bool { return p.AudioPackets > 0 }, nil)
	from, to := 5*time.Second, 20*time.Second
	a, b, in := tl.Between(from, to)
	if len(in) < 100 {
		t.Fatalf("the receiver heard the publisher for %d samples of the window", len(in))
	}
	_, _, share, tone := tl.Window(from, to)
	t.Logf("10 %% loss on the publisher's uplink to our host: %.1f %% of the audio decoded or rebuilt (%d by FEC, %d concealed of %d), the tone in %.0f %% of quarter seconds",
		100*share, b.Recovered-a.Recovered, b.Concealed-a.Concealed, b.Span-a.Span, 100*tone)
	if share < 0.98 {
		t.Errorf("audio: %.1f %% of the packets; want ≥ 98 %%", 100*share)
	}
	if tone < 0.95 {
		t.Errorf("the tone was there in %.0f %% of quarter seconds", 100*tone)
	}
}

// TestOutageHosted: the publisher's network goes away for 20 s (issue 14's
// longest outage) in a meeting our host serves; pictures and sound come
// back within 3 s of its return, and the chat typed 4 s into it arrives
// once.
func TestOutageHosted(t *testing.T) {
	if testing.Short() {
		t.Skip("an outage of 20 s")
	}
	const chat = "sent while the network was down"
	l, invite, remote, recv := hostedMeeting(t, "hostout")
	var chats []string
	chatsDone := make(chan struct{})
	go func() {
		defer close(chatsDone)
		for ev := range recv.Events() {
			if c, ok := ev.(room.ChatMessage); ok && c.FromName == "pub" {
				chats = append(chats, c.Text)
			}
		}
	}()
	const outage = 20 * time.Second
	down, up := 5*time.Second, 5*time.Second+outage
	// What the receiver has of the publisher, from its first picture; the
	// link cut from down to up.
	cut := false
	tl := runPublisher(t, l, hostedOrders{Invite: invite, Peer: l.Peer, Duration: up + 12*time.Second,
		Chat: chat, ChatAfter: down + 5*time.Second}, remote,
		func(p media.PeerStats) bool { return p.VideoFrames > 0 },
		func(s roomtest.Sample) {
			if on := s.At >= down && s.At < up; on != cut {
				cut = on
				if err := l.SetOutage(on); err != nil {
					t.Fatal(err)
				}
			}
		})
	recv.Leave()
	<-chatsDone
	video, audio := tl.FirstAfter(up)
	fps, gap, share, _ := tl.Window(up+3*time.Second, up+8*time.Second)
	t.Logf("20 s outage to our host: pictures back %s and sound %s after the network; then %.1f fps, longest gap %s, %.1f %% of the audio; chat %q",
		video.Round(time.Millisecond), audio.Round(time.Millisecond), fps, gap.Round(time.Millisecond), 100*share, chats)
	if video < 0 || video > 3*time.Second {
		t.Errorf("pictures back %s after the network; want within 3 s", video)
	}
	if audio < 0 || audio > 3*time.Second {
		t.Errorf("sound back %s after the network; want within 3 s", audio)
	}
	// And the picture flows again: with late retransmissions dropped as
	// SRTP replays (rtc/api.go replayWindow) it was 14.5-15.2 fps here.
	if fps < 20 {
		t.Errorf("%.1f fps 3-8 s after the network came back; want ≥ 20", fps)
	}
	n := 0
	for _, c := range chats {
		if c == chat {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the chat sent during the outage arrived %d times: %q", n, chats)
	}
}
