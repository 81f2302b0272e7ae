package netsim

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary play the participant inside the
// namespace: with NETSIM_SEND=host:port it sends UDP there (1000-byte
// packets, one per millisecond, for NETSIM_MS milliseconds), prints how
// many it sent and exits.
func TestMain(m *testing.M) {
	if to := os.Getenv("NETSIM_SEND"); to != "" {
		ms, _ := strconv.Atoi(os.Getenv("NETSIM_MS"))
		c, err := net.Dial("udp", to)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		buf := make([]byte, 1000)
		end := time.Now().Add(time.Duration(ms) * time.Millisecond)
		n := 0
		for time.Now().Before(end) {
			// A packet dropped by the loss rule fails its write
			// (EPERM): it was sent all the same.
			_, _ = c.Write(buf)
			n++
			time.Sleep(time.Millisecond)
		}
		fmt.Println(n)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// send runs the sender in the namespace for d and counts what reached
// the host end: packets and bytes, and how long they took to arrive;
// sent is how many the sender sent.
func send(t *testing.T, l *Link, d time.Duration) (got, size, sent int, took time.Duration) {
	t.Helper()
	pc, err := net.ListenPacket("udp", l.Host+":0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	cmd := l.Command(context.Background(), os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "NETSIM_SEND="+pc.LocalAddr().String(), fmt.Sprintf("NETSIM_MS=%d", d.Milliseconds()))
	cmd.Stderr = os.Stderr
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	buf := make([]byte, 2000)
	var first, last time.Time
	for {
		_ = pc.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
		n, _, err := pc.ReadFrom(buf)
		if err != nil {
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("sender: %v", err)
				}
				sent, _ = strconv.Atoi(strings.TrimSpace(out.String()))
				return got, size, sent, last.Sub(first)
			default:
				continue
			}
		}
		last = time.Now()
		if first.IsZero() {
			first = last
		}
		got++
		size += n
	}
}

func TestLink(t *testing.T) {
	l := New(t, "selftest")
	// Nothing to undo yet: a link is reset before each use.
	if err := errors.Join(l.SetRate(0), l.SetLoss(0), l.SetOutage(false)); err != nil {
		t.Fatalf("resetting a new link: %v", err)
	}
	before := counted(t, l)
	got, _, sent, _ := send(t, l, 500*time.Millisecond)
	if sent < 20 || got < sent*95/100 {
		t.Fatalf("unimpaired: %d of %d packets arrived", got, sent)
	}
	checkSent(t, l, "unimpaired", before, sent)

	if err := l.SetLoss(30); err != nil {
		t.Fatal(err)
	}
	before = counted(t, l)
	got, _, sent, _ = send(t, l, 500*time.Millisecond)
	if lost := 1 - float64(got)/float64(sent); lost < 0.2 || lost > 0.4 {
		t.Errorf("30 %% loss: %.0f %% lost (%d of %d arrived)", 100*lost, got, sent)
	}
	// What the loss dropped was sent all the same.
	checkSent(t, l, "30 % loss", before, sent)
	if err := l.SetLoss(0); err != nil {
		t.Fatal(err)
	}

	if err := l.SetRate(800); err != nil {
		t.Fatal(err)
	}
	_, size, _, took := send(t, l, time.Second)
	if kbps := float64(size*8) / took.Seconds() / 1000; kbps < 650 || kbps > 900 {
		t.Errorf("capped at 800 kbit/s: %.0f kbit/s arrived", kbps)
	} else {
		t.Logf("capped at 800 kbit/s: %.0f kbit/s arrived", kbps)
	}
	if err := l.SetRate(0); err != nil {
		t.Fatal(err)
	}

	if err := l.SetOutage(true); err != nil {
		t.Fatal(err)
	}
	got, _, sent, _ = send(t, l, 300*time.Millisecond)
	if got != 0 {
		t.Errorf("%d packets went through an outage", got)
	}
	// The counter sees every packet sent into the outage (1000 bytes of
	// payload and 28 of IP and UDP headers each), and whatever else the
	// link sent meanwhile: a new veth's own IPv6 neighbour and listener
	// messages (a 56-byte one was seen in CI), a few at most.
	if n, err := l.OutageSent(); err != nil || n < int64(sent*1028) || n > int64(sent*1028+512) {
		t.Errorf("sent %d packets into the outage, counted %d bytes (%v)", sent, n, err)
	}
	if err := l.SetOutage(false); err != nil {
		t.Fatal(err)
	}
	if got, _, sent, _ := send(t, l, 300*time.Millisecond); got < sent*95/100 {
		t.Errorf("after the outage: %d of %d packets arrived", got, sent)
	}
}

// counted reads the link's Sent counter.
func counted(t *testing.T, l *Link) int64 {
	t.Helper()
	n, err := l.Sent()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// checkSent: the Sent counter grew by the sent packets (1000 bytes of
// payload and 28 of IP and UDP headers each) and at most a few of the
// link's own IPv6 messages.
func checkSent(t *testing.T, l *Link, what string, before int64, sent int) {
	t.Helper()
	if n := counted(t, l) - before; n < int64(sent*1028) || n > int64(sent*1028+512) {
		t.Errorf("%s: sent %d packets (%d bytes), the counter grew by %d bytes", what, sent, sent*1028, n)
	}
}

// TestCleanup: a second link of the same name replaces a leftover, and
// nothing is left once the test ends.
func TestCleanup(t *testing.T) {
	t.Run("leftover", func(t *testing.T) {
		New(t, "selfleft")
		New(t, "selfleft") // the first is a leftover now
	})
	if err := run("ip", "netns", "exec", "kaigi-selfleft", "true"); err == nil {
		t.Error("namespace kaigi-selfleft left behind")
	}
	if err := run("ip", "link", "show", "kgh-selfleft"); err == nil {
		t.Error("veth kgh-selfleft left behind")
	}
}

// TestAt: a scheduled change is made once, when its time comes.
func TestAt(t *testing.T) {
	calls := 0
	step := At(2*time.Second, func(*Link) error { calls++; return nil })
	for i, want := range []int{0, 0, 1, 1} { // at 0, 1, 2 and 3 s
		if err := step(nil, time.Duration(i)*time.Second); err != nil || calls != want {
			t.Fatalf("at %d s: %d calls (%v), want %d", i, calls, err, want)
		}
	}
}
