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

func TestLossyUplinkHosted(t *testing.T) {
	if testing.Short() {
		t.Skip("an impaired network measured for 20 s")
	}
	l := netsim.New(t, "hostloss")
	h, err := host.New(host.Config{Listen: l.Host + ":0", PublicHost: l.Host, CertDir: t.TempDir(), Setting: onlyAddress(l.Host)})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.CreateGroup("lossy"); err != nil {
		t.Fatal(err)
	}
	go h.Serve(context.Background())
	defer h.Close()
	invite, err := h.InviteLink("lossy")
	if err != nil {
		t.Fatal(err)
	}
	lk, err := link.Parse(invite)
	if err != nil {
		t.Fatal(err)
	}
	remote, err := media.NewRemote(media.RemoteConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer remote.Close()
	recv, err := galene.Options{Setting: onlyAddress(l.Host)}.Dial(context.Background(), room.JoinOptions{Link: lk, Name: "recv", Remote: remote})
	if err != nil {
		t.Fatal(err)
	}
	defer recv.Leave()
	if err := l.SetLoss(10); err != nil {
		t.Fatal(err)
	}
	cmd, err := l.Child(context.Background(), hostedPublisherEnv, hostedOrders{Invite: invite, Peer: l.Peer, Duration: 22 * time.Second,
		NoAdaptation: os.Getenv("KAIGI_NETWORK_ADAPTATION") == "off"})
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

	// Every 50 ms: what the receiver has of the publisher so far. The
	// window is 5-20 s after its first sound.
	var tl roomtest.Timeline
	var first time.Time
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for done := false; !done; {
		select {
		case err := <-exited:
			if err != nil {
				log, _ := os.ReadFile(out.Name())
				t.Errorf("publisher: %v\n%s", err, log)
			}
			done = true
		case now := <-tick.C:
			for _, p := range remote.Stats() {
				if p.AudioPackets == 0 {
					continue
				}
				if first.IsZero() {
					first = now
				}
				tl = append(tl, roomtest.SampleOf(p, now.Sub(first)))
			}
		}
	}
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
	l := netsim.New(t, "hostout")
	h, err := host.New(host.Config{Listen: l.Host + ":0", PublicHost: l.Host, CertDir: t.TempDir(), Setting: onlyAddress(l.Host)})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.CreateGroup("outage"); err != nil {
		t.Fatal(err)
	}
	go h.Serve(context.Background())
	defer h.Close()
	invite, err := h.InviteLink("outage")
	if err != nil {
		t.Fatal(err)
	}
	lk, err := link.Parse(invite)
	if err != nil {
		t.Fatal(err)
	}
	remote, err := media.NewRemote(media.RemoteConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer remote.Close()
	recv, err := galene.Options{Setting: onlyAddress(l.Host)}.Dial(context.Background(), room.JoinOptions{Link: lk, Name: "recv", Remote: remote})
	if err != nil {
		t.Fatal(err)
	}
	defer recv.Leave()
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
	cmd, err := l.Child(context.Background(), hostedPublisherEnv, hostedOrders{Invite: invite, Peer: l.Peer, Duration: up + 12*time.Second,
		Chat: chat, ChatAfter: down + 5*time.Second})
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

	// Every 50 ms from the publisher's first picture: what the receiver
	// has of it, and the link cut from down to up.
	var tl roomtest.Timeline
	var first time.Time
	cut := false
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for done := false; !done; {
		select {
		case err := <-exited:
			if err != nil {
				log, _ := os.ReadFile(out.Name())
				t.Errorf("publisher: %v\n%s", err, log)
			}
			done = true
		case now := <-tick.C:
			for _, p := range remote.Stats() {
				if p.VideoFrames == 0 {
					continue
				}
				if first.IsZero() {
					first = now
				}
				s := roomtest.SampleOf(p, now.Sub(first))
				tl = append(tl, s)
				if on := s.At >= down && s.At < up; on != cut {
					cut = on
					if err := l.SetOutage(on); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	}
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
