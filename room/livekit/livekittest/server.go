// Package livekittest runs real livekit-server processes (and the
// redis-server a cluster of them shares) on loopback for tests. The
// binary is built once per machine by scripts/livekit-server.sh.
package livekittest

import (
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/livekit/protocol/auth"
)

// Key and Secret are the API key the test servers accept.
const (
	Key    = "devkey"
	Secret = "kaigi-test-secret-that-is-long-enough-0123456789"
)

// Server is one running livekit-server.
type Server struct {
	URL  string // ws://127.0.0.1:PORT
	Port int
	cmd  *exec.Cmd
	log  *os.File
}

// root finds the repository (where go.mod is) from the test's directory.
func root() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the test")
		}
		dir = parent
	}
}

// Binary returns livekit-server's path, building it the first time.
func Binary(t testing.TB) string {
	t.Helper()
	r, err := root()
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("bash", filepath.Join(r, "scripts", "livekit-server.sh")).Output()
	if err != nil {
		t.Fatalf("building livekit-server: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// FreePorts returns n distinct ports free on loopback for both TCP and
// UDP, below the kernel's ephemeral range (32768 and up here): the
// PeerConnections of tests running beside this one take their UDP ports
// from that range at any moment, and once took the port a server was
// about to bind ("address already in use"). Another test may still pick
// the same port between this check and the server's bind: Start retries.
func FreePorts(t testing.TB, n int) []int {
	t.Helper()
	var ports []int
	seen := map[int]bool{}
	for tries := 0; len(ports) < n; tries++ {
		if tries > 1000 {
			t.Fatal("no free port between 20000 and 32000")
		}
		port := 20000 + rand.IntN(12000)
		if seen[port] {
			continue
		}
		seen[port] = true
		if portFree(port) {
			ports = append(ports, port)
		}
	}
	return ports
}

// portFree says whether port can be bound on loopback, TCP and UDP.
func portFree(port int) bool {
	addr := net.JoinHostPort("127.0.0.1", fmt.Sprint(port))
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return false
	}
	defer l.Close()
	u, err := net.ListenPacket("udp", addr)
	if err != nil {
		return false
	}
	u.Close()
	return true
}

// Options for a server.
type Options struct {
	Redis string // host:port of a shared redis-server: makes a cluster node
	// Address is where the server listens and what it announces to
	// clients (default 127.0.0.1): a netsim link's host end serves
	// participants inside its namespace and, on this machine, the rest.
	Address string
}

// Start runs a livekit-server on loopback (or o.Address) until the test
// ends. A server that exits before it listens (a port taken meanwhile by
// a test running beside this one) is started again on other ports, up to
// three times.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	var failures []string
	for attempt := 0; attempt < 3; attempt++ {
		s, err := start(t, o)
		if err == nil {
			return s
		}
		failures = append(failures, err.Error())
	}
	t.Fatalf("livekit-server did not start:\n%s", strings.Join(failures, "\n"))
	return nil
}

// start is one attempt of Start: the server listening, or why not.
func start(t testing.TB, o Options) (*Server, error) {
	t.Helper()
	bin := Binary(t)
	p := FreePorts(t, 3)
	dir := t.TempDir()
	addr := o.Address
	if addr == "" {
		addr = "127.0.0.1"
	}
	cfg := fmt.Sprintf(`port: %d
bind_addresses: ["%s"]
rtc:
  tcp_port: %d
  udp_port: %d
  use_external_ip: false
  node_ip: %s
  enable_loopback_candidate: %t
keys:
  %s: %s
logging:
  level: warn
`, p[0], addr, p[1], p[2], addr, addr == "127.0.0.1", Key, Secret)
	if o.Redis != "" {
		cfg += fmt.Sprintf("redis:\n  address: %s\n", o.Redis)
	}
	path := filepath.Join(dir, "livekit.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	log, err := os.Create(filepath.Join(dir, "livekit.log"))
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{URL: fmt.Sprintf("ws://%s:%d", addr, p[0]), Port: p[0], log: log}
	s.cmd = exec.Command(bin, "--config", path)
	s.cmd.Stdout, s.cmd.Stderr = log, log
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	if err := waitTCP(addr, s.Port, 20*time.Second, func() bool { return ended(s.cmd.Process.Pid) }); err != nil {
		s.Stop()
		logText, _ := os.ReadFile(log.Name())
		return nil, fmt.Errorf("%v\n%s", err, logText)
	}
	return s, nil
}

// Stop kills the server (as a crash would); safe to call twice.
func (s *Server) Stop() {
	if s.cmd.Process != nil && s.cmd.ProcessState == nil {
		_ = s.cmd.Process.Kill()
		_ = s.cmd.Wait()
	}
	s.log.Close()
}

// ended says whether process pid has exited (a zombie not yet waited
// for, or gone). No goroutine waits for the server meanwhile: tests
// check that none is left behind before their cleanups stop it.
func ended(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	i := strings.LastIndexByte(string(stat), ')')
	return i < 0 || i+2 >= len(stat) || stat[i+2] == 'Z'
}

// waitTCP waits until something listens on port, for at most d or until
// gone says the server gave up (nil: never).
func waitTCP(addr string, port int, d time.Duration, gone func() bool) error {
	end := time.Now().Add(d)
	for time.Now().Before(end) {
		if gone != nil && gone() {
			return fmt.Errorf("livekit-server exited before it listened on port %d", port)
		}
		c, err := net.DialTimeout("tcp", net.JoinHostPort(addr, fmt.Sprint(port)), 200*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("nothing listens on port %d after %s", port, d)
}

// StartRedis runs redis-server on loopback until the test ends and
// returns its address.
func StartRedis(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatalf("redis-server is not installed (make test installs it): %v", err)
	}
	port := FreePorts(t, 1)[0]
	cmd := exec.Command(bin, "--bind", "127.0.0.1", "--port", fmt.Sprint(port), "--save", "", "--appendonly", "no")
	cmd.Dir = t.TempDir()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	if err := waitTCP("127.0.0.1", port, 10*time.Second, nil); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("127.0.0.1:%d", port)
}

// ExpiredToken is a token signed with the right key that expired an hour
// ago (the auth package will not mint one).
func ExpiredToken(t testing.TB, roomName, identity string) string {
	t.Helper()
	now := time.Now()
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"iss": Key, "sub": identity, "nbf": now.Add(-2 * time.Hour).Unix(), "exp": now.Add(-time.Hour).Unix(),
		"video": map[string]any{"roomJoin": true, "room": roomName},
	}).SignedString([]byte(Secret))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// Token mints a join token for identity in room, valid for ttl.
func Token(t testing.TB, roomName, identity, name string, ttl time.Duration) string {
	t.Helper()
	at := auth.NewAccessToken(Key, Secret)
	grant := &auth.VideoGrant{RoomJoin: true, Room: roomName}
	grant.SetCanUpdateOwnMetadata(true) // as LiveKit Meet's tokens: a raised hand is an attribute
	at.SetVideoGrant(grant).SetIdentity(identity).SetName(name).SetValidFor(ttl)
	tok, err := at.ToJWT()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
