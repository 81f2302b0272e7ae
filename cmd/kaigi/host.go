package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"kaigi/room/e2ee"
	"kaigi/room/host"
	"kaigi/room/link"
)

// runHost is `kaigi host --listen ADDR --group NAME`: it serves a meeting
// without a window; the first line on stdout is the invite link.
func runHost(args []string) int {
	fs := flag.NewFlagSet("kaigi host", flag.ContinueOnError)
	listen := fs.String("listen", ":8443", "address to serve on (host:port; port 0 = any free port)")
	group := fs.String("group", "meeting", "name of the group (the meeting)")
	public := fs.String("public-host", "", "host name or address to put in the invite link (default: this machine's LAN address)")
	insecure := fs.Bool("insecure", false, "serve plain http instead of TLS (only on a network you trust)")
	certDir := fs.String("cert-dir", "", "where the TLS certificate is kept (default: the user's config folder)")
	encrypted := fs.Bool("e2ee", false, "end-to-end encrypt the meeting: a new key, only in the invite link (the host forwards what it cannot read)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	defer startProfile()() // KAIGI_CPUPROFILE (bench/hosted.sh)
	if *certDir == "" {
		*certDir = defaultCertDir()
	}
	h, err := host.New(host.Config{Listen: *listen, PublicHost: *public, Insecure: *insecure, CertDir: *certDir})
	if err != nil {
		fmt.Fprintln(os.Stderr, "kaigi host:", err)
		return 1
	}
	// The group keeps its token across restarts, so invites sent stay valid.
	token, err := groupToken(*certDir, *group)
	if err == nil {
		err = h.CreateGroupWithToken(*group, token)
	}
	if err != nil {
		h.Close()
		fmt.Fprintln(os.Stderr, "kaigi host:", err)
		return 2
	}
	invite, _ := h.InviteLink(*group)
	if *encrypted {
		key, err := groupKey(*certDir, *group)
		if err != nil {
			h.Close()
			fmt.Fprintln(os.Stderr, "kaigi host:", err)
			return 2
		}
		invite = link.WithKey(invite, key)
	}
	fmt.Println(invite)
	fmt.Fprintf(os.Stderr, "kaigi host: serving %q on %s until stopped\n", *group, h.Addr())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if path := os.Getenv("KAIGI_HOST_STATS"); path != "" {
		go writeStats(ctx, h, path)
	}
	if err := h.Serve(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "kaigi host:", err)
		return 1
	}
	return 0
}

// groupToken is the token of a group hosted from the command line: the one
// kept in dir from an earlier run, or a new one kept there.
func groupToken(dir, group string) (string, error) {
	if !link.ValidGroup(group) {
		return "", host.ErrBadName
	}
	path := filepath.Join(dir, "groups", url.PathEscape(group)+".token")
	if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) >= 16 {
		return strings.TrimSpace(string(b)), nil
	}
	token, err := host.NewToken()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", fmt.Errorf("keep the group's token: %w", err)
	}
	if err := os.WriteFile(path, []byte(token+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("keep the group's token: %w", err)
	}
	return token, nil
}

// groupKey is the end-to-end encryption key of a group hosted from the
// command line, kept beside its token so that invites sent stay valid
// across restarts. The host's server never uses it: it only goes into the
// invite link.
func groupKey(dir, group string) ([]byte, error) {
	path := filepath.Join(dir, "groups", url.PathEscape(group)+".e2ee")
	if b, err := os.ReadFile(path); err == nil {
		if key, err := base64.RawURLEncoding.DecodeString(strings.TrimSpace(string(b))); err == nil && len(key) == link.KeySize {
			return key, nil
		}
	}
	key := e2ee.NewSecret()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("keep the group's key: %w", err)
	}
	if err := os.WriteFile(path, []byte(base64.RawURLEncoding.EncodeToString(key)+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("keep the group's key: %w", err)
	}
	return key, nil
}

// defaultCertDir keeps the host's certificate with the user's settings, so
// invite links stay valid across restarts.
func defaultCertDir() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "kaigi", "host")
}

// writeStats keeps the host's counters in the file KAIGI_HOST_STATS names,
// written anew every second (bench/hosted.sh reads it).
func writeStats(ctx context.Context, h *host.Host, path string) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		b, err := json.Marshal(h.Stats())
		if err == nil {
			err = os.WriteFile(path+".tmp", b, 0o600)
		}
		if err == nil {
			err = os.Rename(path+".tmp", path)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "kaigi host: stats:", err)
			return
		}
	}
}
