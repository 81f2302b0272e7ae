package galene

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"kaigi/room"
	"kaigi/room/wire"
	"kaigi/rtc"
)

// httpClient verifies the server's certificate against pin when the link
// carries one (a Kaigi-hosted meeting: the fingerprint replaces a
// certificate authority), and the usual way otherwise.
func httpClient(pin string) *http.Client {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if pin != "" {
		cfg.InsecureSkipVerify = true // replaced by the pin check below
		cfg.VerifyPeerCertificate = func(raw [][]byte, _ [][]*x509.Certificate) error {
			if len(raw) == 0 {
				return errPin
			}
			sum := sha256.Sum256(raw[0])
			if hex.EncodeToString(sum[:]) != pin {
				return errPin
			}
			return nil
		}
	}
	return &http.Client{Timeout: stepTimeout, Transport: &http.Transport{TLSClientConfig: cfg, Proxy: http.ProxyFromEnvironment}}
}

var errPin = errors.New("the server's certificate is not the one in the invitation")

func netFailure(err error) error {
	var cert *tls.CertificateVerificationError
	var unk x509.UnknownAuthorityError
	var host x509.HostnameError
	switch {
	case errors.Is(err, errPin) || strings.Contains(err.Error(), errPin.Error()):
		return room.Fail(room.ErrCertificate, err, "")
	case errors.As(err, &cert), errors.As(err, &unk), errors.As(err, &host):
		return room.Fail(room.ErrCertificate, err, "")
	case errors.Is(err, context.DeadlineExceeded):
		return room.Fail(room.ErrTimeout, err, "")
	}
	return room.Fail(room.ErrUnreachable, err, "")
}

func fetchStatus(ctx context.Context, client *http.Client, groupURL string) (wire.Status, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, groupURL+".status", nil)
	if err != nil {
		return wire.Status{}, room.Fail(room.ErrUnreachable, err, "")
	}
	resp, err := client.Do(req)
	if err != nil {
		return wire.Status{}, netFailure(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return wire.Status{}, room.Fail(room.ErrDisconnected, err, "")
	}
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return wire.Status{}, room.Fail(room.ErrNoRoom, nil, "HTTP 404")
	case resp.StatusCode != http.StatusOK:
		return wire.Status{}, room.Fail(room.ErrNotARoom, nil, "HTTP %d", resp.StatusCode)
	}
	var st wire.Status
	if err := json.Unmarshal(body, &st); err != nil || st.Endpoint == "" {
		return wire.Status{}, room.Fail(room.ErrNotARoom, err, "no group status")
	}
	return st, nil
}

// endpoint resolves the status's WebSocket endpoint against the group.
func endpoint(groupURL, ep string) (string, error) {
	base, err := url.Parse(groupURL)
	if err != nil {
		return "", err
	}
	u, err := base.Parse(ep)
	if err != nil {
		return "", err
	}
	switch u.Scheme {
	case "https":
		u.Scheme = "wss"
	case "http":
		u.Scheme = "ws"
	case "ws", "wss":
	default:
		return "", fmt.Errorf("endpoint scheme %q", u.Scheme)
	}
	return u.String(), nil
}

func loopbackHost(groupURL string) bool {
	u, err := url.Parse(groupURL)
	return err == nil && rtc.IsLoopbackHost(u.Hostname())
}
