// Package netsim puts a test's participant behind an impaired network link:
// a network namespace joined to the machine by a veth pair, whose uplink
// (what the participant sends) can be capped (tc tbf), made to lose packets
// at random (nftables numgen) or cut off entirely (an outage), while the
// test changes them. This kernel has no netem: delay and jitter are not
// offered. Everything it makes is removed when the test ends, and a
// leftover of a killed run of the same name is removed first. It needs
// root, ip(8), tc(8) and nft(8); without them the test is skipped.
package netsim

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Link is one namespace behind a veth pair. Its methods may be called
// while the participant runs.
type Link struct {
	// Namespace is the network namespace's name (for ip netns exec).
	Namespace string
	// Host is the machine's end of the link (where servers the
	// participant reaches listen); Peer is the participant's address.
	Host, Peer string

	hostDev, peerDev string
}

// Available says why a Link cannot be made here ("" when it can).
func Available() string {
	if os.Geteuid() != 0 {
		return "netsim needs root (network namespaces, tc, nft)"
	}
	for _, tool := range []string{"ip", "tc", "nft"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Sprintf("netsim needs %s (scripts/deps.sh test installs it)", tool)
		}
	}
	return ""
}

// New makes the namespace "kaigi-NAME" with a veth pair between it and
// the machine, both ends up with addresses of a /30 of their own, and no
// impairment yet. name is short (at most 8 characters): it names the
// devices too. The test is skipped where netsim cannot run.
func New(t testing.TB, name string) *Link {
	t.Helper()
	if why := Available(); why != "" {
		t.Skip(why)
	}
	if len(name) > 8 {
		t.Fatalf("netsim: name %q is longer than 8 characters", name)
	}
	h := fnv.New32a()
	h.Write([]byte(name))
	sub := 4 * (h.Sum32() % 64) // one /30 in 10.213.0.0/24 per name
	l := &Link{Namespace: "kaigi-" + name, hostDev: "kgh-" + name, peerDev: "kgp-" + name,
		Host: fmt.Sprintf("10.213.0.%d", sub+1), Peer: fmt.Sprintf("10.213.0.%d", sub+2)}
	l.remove() // a leftover of a killed run
	t.Cleanup(l.remove)
	for _, args := range [][]string{
		{"ip", "netns", "add", l.Namespace},
		{"ip", "link", "add", l.hostDev, "type", "veth", "peer", "name", l.peerDev},
		{"ip", "link", "set", l.peerDev, "netns", l.Namespace},
		{"ip", "addr", "add", l.Host + "/30", "dev", l.hostDev},
		{"ip", "link", "set", l.hostDev, "up"},
		{"ip", "-n", l.Namespace, "addr", "add", l.Peer + "/30", "dev", l.peerDev},
		{"ip", "-n", l.Namespace, "link", "set", l.peerDev, "up"},
		{"ip", "-n", l.Namespace, "link", "set", "lo", "up"},
		{"ip", "-n", l.Namespace, "route", "add", "default", "via", l.Host},
		// One table of ours in the namespace: loss and outage rules live
		// in its chains and are replaced by flushing them.
		{"ip", "netns", "exec", l.Namespace, "nft", "add table inet netsim"},
		{"ip", "netns", "exec", l.Namespace, "nft", "add chain inet netsim out { type filter hook output priority 0 ; }"},
		{"ip", "netns", "exec", l.Namespace, "nft", "add chain inet netsim in { type filter hook input priority 0 ; }"},
		{"ip", "netns", "exec", l.Namespace, "nft", "add chain inet netsim loss"},
		{"ip", "netns", "exec", l.Namespace, "nft", "add chain inet netsim outage"},
		// Everything the participant sends is counted first, before loss
		// and outage rules drop some of it (Sent).
		{"ip", "netns", "exec", l.Namespace, "nft", "add counter inet netsim sent"},
		{"ip", "netns", "exec", l.Namespace, "nft", fmt.Sprintf("add rule inet netsim out oifname %q counter name sent", l.peerDev)},
		{"ip", "netns", "exec", l.Namespace, "nft", "add rule inet netsim out jump outage"},
		{"ip", "netns", "exec", l.Namespace, "nft", "add rule inet netsim out jump loss"},
		{"ip", "netns", "exec", l.Namespace, "nft", "add rule inet netsim in jump outage"},
	} {
		if err := run(args...); err != nil {
			t.Fatalf("netsim: %v", err)
		}
	}
	return l
}

// SetRate caps the uplink at kbps kilobits per second with a token bucket
// whose queue holds 200 ms (a home router's buffer); 0 removes the cap.
func (l *Link) SetRate(kbps int) error {
	if kbps <= 0 {
		err := run("tc", "-n", l.Namespace, "qdisc", "del", "dev", l.peerDev, "root")
		// There was no cap: a veth without a qdisc of ours has the
		// kernel's noqueue, whose handle is zero.
		if err != nil && (strings.Contains(err.Error(), "No such file") || strings.Contains(err.Error(), "handle of zero")) {
			return nil
		}
		return err
	}
	// The bucket holds a few full packets: smaller would stall on each.
	return run("tc", "-n", l.Namespace, "qdisc", "replace", "dev", l.peerDev, "root", "tbf",
		"rate", fmt.Sprintf("%dkbit", kbps), "burst", "6kb", "latency", "200ms")
}

// SetLoss drops percent of the UDP packets the participant sends, at
// random (0: none). TCP (signalling) is spared: its retransmission would
// only hide the loss.
func (l *Link) SetLoss(percent int) error {
	cmds := []string{"flush chain inet netsim loss"}
	if percent > 0 {
		cmds = append(cmds, fmt.Sprintf("add rule inet netsim loss meta l4proto udp numgen random mod 100 < %d drop", percent))
	}
	return l.nft(cmds...)
}

// SetOutage cuts the link both ways (on) or restores it. Packets are
// dropped, not refused: to the participant the network simply goes
// silent, as when Wi-Fi drops. What the participant sends into the dead
// link is counted (OutageSent).
func (l *Link) SetOutage(on bool) error {
	cmds := []string{"flush chain inet netsim outage"}
	if on {
		cmds = append(cmds, fmt.Sprintf(`add rule inet netsim outage oifname %q counter drop`, l.peerDev),
			fmt.Sprintf(`add rule inet netsim outage iifname %q drop`, l.peerDev))
	}
	return l.nft(cmds...)
}

// OutageSent is how many bytes (IP packets whole) the participant has
// sent into the link since the outage began (0 without one).
func (l *Link) OutageSent() (int64, error) {
	n, err := l.counted("chain", "outage")
	if err != nil {
		return 0, fmt.Errorf("netsim: reading the outage's counter: %w", err)
	}
	return n, nil
}

// Sent is how many bytes (IP packets whole) the participant has sent
// towards the link since it was made: what it tried to send, counted
// before the cap, loss and outages drop any of it. Two readings give a
// publisher's sending rate, whatever program sends.
func (l *Link) Sent() (int64, error) {
	n, err := l.counted("counter", "sent")
	if err != nil {
		return 0, fmt.Errorf("netsim: reading the sent counter: %w", err)
	}
	return n, nil
}

// counted sums the byte counters nft lists for one object of our table
// (a chain's counter rules, or a named counter).
func (l *Link) counted(kind, name string) (int64, error) {
	out, err := exec.Command("ip", "netns", "exec", l.Namespace, "nft", "-j", "list", kind, "inet", "netsim", name).Output()
	if err != nil {
		return 0, err
	}
	var list struct {
		Nftables []struct {
			Counter *struct{ Bytes int64 }
			Rule    *struct {
				Expr []struct {
					Counter *struct{ Bytes int64 }
				}
			}
		}
	}
	if err := json.Unmarshal(out, &list); err != nil {
		return 0, err
	}
	var n int64
	for _, item := range list.Nftables {
		if item.Counter != nil {
			n += item.Counter.Bytes
		}
		if item.Rule == nil {
			continue
		}
		for _, e := range item.Rule.Expr {
			if e.Counter != nil {
				n += e.Counter.Bytes
			}
		}
	}
	return n, nil
}

// At is a change of the link made once, when the time given to the
// function it returns (a test's clock, e.g. since the first picture)
// reaches when.
func At(when time.Duration, change func(l *Link) error) func(l *Link, now time.Duration) error {
	done := false
	return func(l *Link, now time.Duration) error {
		if done || now < when {
			return nil
		}
		done = true
		return change(l)
	}
}

// Command runs name inside the namespace. The caller starts and waits
// for it; the namespace's processes are killed when the test ends.
func (l *Link) Command(ctx context.Context, name string, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", l.Namespace, name}, args...)...)
}

// Child is this test binary run again inside the namespace, with no
// tests of its own and orders (any value JSON takes) in the environment
// variable env: the binary's TestMain (Main) reads them and plays
// the participant behind the link. The caller starts and waits for it.
func (l *Link) Child(ctx context.Context, env string, orders any) (*exec.Cmd, error) {
	data, err := json.Marshal(orders)
	if err != nil {
		return nil, fmt.Errorf("netsim: orders: %w", err)
	}
	cmd := l.Command(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), env+"="+string(data))
	return cmd, nil
}

// Main is the TestMain of a test binary whose tests start Children: in
// a child it reads the orders Child gave into orders and exits with what
// play returns; otherwise it runs the tests.
func Main(m *testing.M, env string, orders any, play func() int) {
	data := os.Getenv(env)
	if data == "" {
		os.Exit(m.Run())
	}
	if err := json.Unmarshal([]byte(data), orders); err != nil {
		fmt.Fprintf(os.Stderr, "netsim: orders in %s: %v\n", env, err)
		os.Exit(2)
	}
	os.Exit(play())
}

func (l *Link) nft(cmds ...string) error {
	for _, c := range cmds {
		if err := run("ip", "netns", "exec", l.Namespace, "nft", c); err != nil {
			return err
		}
	}
	return nil
}

// remove kills what runs in the namespace and deletes it with its end of
// the veth pair (which takes the other end and the nft table with it).
func (l *Link) remove() {
	if out, err := exec.Command("ip", "netns", "pids", l.Namespace).Output(); err == nil {
		for _, pid := range strings.Fields(string(out)) {
			_ = run("kill", "-9", pid)
		}
	}
	_ = run("ip", "netns", "del", l.Namespace)
	_ = run("ip", "link", "del", l.hostDev)
}

func run(args ...string) error {
	cmd := exec.Command(args[0], args[1:]...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return nil
}
