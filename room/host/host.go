// Package host is the meeting server inside Kaigi: a small SFU on pion
// that speaks the Galène protocol (version 2, docs/galene-protocol.md;
// its wire format is room/wire), so the same client dialect
// (room/galene) joins Kaigi-hosted meetings and Galène servers. Groups are
// created by the hosting app; each has a random secret token that invite
// links carry, and by default the host serves TLS with a certificate it
// keeps, whose fingerprint invite links carry for pinning.
//
// Its files: host.go listens and serves the group status, cert.go keeps
// the certificate, meetings.go starts and stops the host with the app's
// meetings, group.go is one meeting's members and chat; client.go is one
// WebSocket, dispatch.go routes its messages, join.go admits it and takes
// its request for media, relay.go passes on what members say to each
// other; up.go is media a client sends, down.go that media offered to
// each receiver, forward.go the packets' way between them, ice.go trickle
// ICE both ways.
package host

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pion/ice/v4"
	"github.com/pion/webrtc/v4"

	"kaigi/room/wire"
	"kaigi/rtc"
)

// Config sets up a host.
type Config struct {
	// Listen is host:port to serve on; port 0 picks a free one.
	Listen string
	// AnyPortIfBusy takes a free port when Listen's is taken.
	AnyPortIfBusy bool
	// PublicHost is the host name or address put in invite links ("" =
	// Listen's host, or this machine's LAN address if that is unspecified).
	PublicHost string
	// Insecure serves plain http (only behind an explicit flag).
	Insecure bool
	// CertDir keeps the TLS certificate and key between runs.
	CertDir string
	// Setting tunes the PeerConnections (tests use loopback only).
	Setting *webrtc.SettingEngine
}

// Host serves groups.
type Host struct {
	cfg Config
	ln  net.Listener
	srv *http.Server
	// What participants send comes in through apiIn's PeerConnections
	// and goes out to the others through apiOut's: each runs only the
	// interceptors its direction needs.
	apiIn, apiOut *webrtc.API
	udp           ice.UDPMux // every PeerConnection's one socket (udp.go)
	pin           string     // certificate fingerprint ("" when insecure)
	publicHost    string

	mu     sync.Mutex
	groups map[string]*group
	closed bool
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// Errors of the host's API.
var (
	ErrGroupExists = errors.New("host: group exists")
	ErrNoGroup     = errors.New("host: no such group")
	ErrBadName     = errors.New("host: bad group name")
)

// New binds the listener and prepares the server; Serve serves.
func New(cfg Config) (*Host, error) {
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil && cfg.AnyPortIfBusy {
		h, _, _ := net.SplitHostPort(cfg.Listen)
		ln, err = net.Listen("tcp", net.JoinHostPort(h, "0"))
	}
	if err != nil {
		return nil, fmt.Errorf("host: listen %s: %w", cfg.Listen, err)
	}
	h := &Host{cfg: cfg, ln: ln, groups: map[string]*group{}}
	h.ctx, h.cancel = context.WithCancel(context.Background())
	h.publicHost = cfg.PublicHost
	if h.publicHost == "" {
		lh, _, _ := net.SplitHostPort(cfg.Listen)
		if ip := net.ParseIP(lh); lh == "" || (ip != nil && ip.IsUnspecified()) {
			lh = LANAddress()
		}
		h.publicHost = lh
	}
	setting := cfg.Setting
	if setting == nil && isLoopback(ln.Addr()) {
		// A host listening only on loopback: meetings within one machine.
		setting = rtc.Loopback()
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/group/", h.serveGroup)
	mux.HandleFunc("/ws", h.serveWS)
	h.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, BaseContext: func(net.Listener) context.Context { return h.ctx }}
	if !cfg.Insecure {
		if cfg.CertDir == "" {
			ln.Close()
			return nil, errors.New("host: TLS needs a CertDir to keep its certificate")
		}
		cert, pin, err := certificate(cfg.CertDir, []string{h.publicHost, "127.0.0.1", "localhost"})
		if err != nil {
			ln.Close()
			return nil, fmt.Errorf("host: certificate: %w", err)
		}
		h.pin = pin
		h.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	se := webrtc.SettingEngine{}
	if setting != nil {
		se = *setting
	}
	h.udp, err = udpMux(ln.Addr())
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("host: UDP: %w", err)
	}
	se.SetICEUDPMux(h.udp)
	h.apiIn, err = rtc.NewAPI(rtc.Config{Role: rtc.ForwarderIn, Setting: &se})
	if err == nil {
		h.apiOut, err = rtc.NewAPI(rtc.Config{Role: rtc.ForwarderOut, Setting: &se})
	}
	if err != nil {
		h.udp.Close()
		ln.Close()
		return nil, err
	}
	return h, nil
}

// LANAddress is this machine's first private IPv4 address on an interface
// that is up ("127.0.0.1" if there is none): where others on the LAN
// reach a hosted meeting.
func LANAddress() string {
	ifs, err := net.Interfaces()
	if err != nil {
		return "127.0.0.1"
	}
	for _, i := range ifs {
		if i.Flags&net.FlagUp == 0 || i.Flags&net.FlagLoopback != 0 {
			continue
		}
		addrs, _ := i.Addrs()
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && n.IP.IsPrivate() {
				return n.IP.String()
			}
		}
	}
	return "127.0.0.1"
}

// LoopbackSetting keeps PeerConnections on 127.0.0.1.
//
// Deprecated: use rtc.Loopback, which every dialect and the host share.
func LoopbackSetting() *webrtc.SettingEngine { return rtc.Loopback() }

func isLoopback(a net.Addr) bool {
	t, ok := a.(*net.TCPAddr)
	return ok && t.IP.IsLoopback()
}

// Addr is where the host listens.
func (h *Host) Addr() net.Addr { return h.ln.Addr() }

// Pin is the certificate's SHA-256 fingerprint ("" without TLS).
func (h *Host) Pin() string { return h.pin }

func (h *Host) base() string {
	port := strconv.Itoa(h.ln.Addr().(*net.TCPAddr).Port)
	scheme := "https"
	if h.cfg.Insecure {
		scheme = "http"
	}
	return scheme + "://" + net.JoinHostPort(h.publicHost, port)
}

// CreateGroup makes a group with a fresh secret token.
func (h *Host) CreateGroup(name string) error {
	token, err := NewToken()
	if err != nil {
		return err
	}
	return h.CreateGroupWithToken(name, token)
}

// InviteLink is the link that joins a group: its location, the token, and
// for TLS the certificate fingerprint to pin.
func (h *Host) InviteLink(name string) (string, error) {
	h.mu.Lock()
	g := h.groups[name]
	h.mu.Unlock()
	if g == nil {
		return "", ErrNoGroup
	}
	u := h.location(name) + "?token=" + url.QueryEscape(g.token)
	if h.pin != "" {
		u += "#sha256=" + h.pin
	}
	return u, nil
}

// HostToken is the token that joins a group as its host (permission
// "op"): it never goes into invite links ("" for no such group).
func (h *Host) HostToken(name string) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	if g := h.groups[name]; g != nil {
		return g.opToken
	}
	return ""
}

func (h *Host) location(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return h.base() + "/group/" + strings.Join(parts, "/") + "/"
}

// EndGroup ends a meeting for everyone in it and forgets the group.
func (h *Host) EndGroup(name string) error {
	h.mu.Lock()
	g := h.groups[name]
	delete(h.groups, name)
	h.mu.Unlock()
	if g == nil {
		return ErrNoGroup
	}
	g.end("the host ended the meeting")
	return nil
}

// closeFlush bounds how long Close waits for clients to be told the
// meeting ended.
const closeFlush = 2 * time.Second

// Serve serves until Close (or ctx ends).
func (h *Host) Serve(ctx context.Context) error {
	stop := context.AfterFunc(ctx, func() { h.Close() })
	defer stop()
	var err error
	if h.cfg.Insecure {
		err = h.srv.Serve(h.ln)
	} else {
		err = h.srv.ServeTLS(h.ln, "", "")
	}
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Close ends every group and stops serving; every goroutine of the host
// has ended when it returns.
func (h *Host) Close() error {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil
	}
	h.closed = true
	groups := h.groups
	h.groups = map[string]*group{}
	h.mu.Unlock()
	for _, g := range groups {
		g.end("the host stopped")
	}
	// No one new; those connected hear why before their connections go
	// (each closes after its queue is written), within a bound.
	err := h.srv.Close()
	h.ln.Close()
	flushed := make(chan struct{})
	go func() { h.wg.Wait(); close(flushed) }()
	select {
	case <-flushed:
	case <-time.After(closeFlush):
	}
	h.cancel()
	<-flushed
	h.udp.Close()
	return err
}

func (h *Host) group(name string) *group {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.groups[name]
}

// serveGroup answers /group/NAME/ (a short page) and /group/NAME/.status.
func (h *Host) serveGroup(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	rest := strings.TrimPrefix(r.URL.Path, "/group/")
	status := strings.HasSuffix(rest, "/.status") || strings.HasSuffix(rest, "/.status.json")
	rest = strings.TrimSuffix(strings.TrimSuffix(rest, "/.status.json"), "/.status")
	name := strings.TrimSuffix(rest, "/")
	g := h.group(name)
	if g == nil {
		http.NotFound(w, r)
		return
	}
	if !status {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!doctype html><meta charset=utf-8><title>%s</title><p>This is a meeting hosted by Kaigi. Open this link with Kaigi to join.</p>\n", htmlEscape(name))
		return
	}
	writeJSON(w, h.status(g))
}

func (h *Host) status(g *group) wire.Status {
	ws := "wss"
	if h.cfg.Insecure {
		ws = "ws"
	}
	g.mu.Lock()
	n, locked := len(g.clients), g.locked
	g.mu.Unlock()
	return wire.Status{Name: g.name, Location: h.location(g.name), Endpoint: ws + strings.TrimPrefix(strings.TrimPrefix(h.base(), "https"), "http") + "/ws",
		ClientCount: &n, Locked: locked}
}

func htmlEscape(s string) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")
	return r.Replace(s)
}
