package livekit

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"kaigi/room"
)

// diagnose explains a failed connection. The SDK reports most failures as
// "could not establish signal connection", so ask the server's own
// validation endpoint (GET /rtc/validate), which answers 401 for a bad or
// expired token, and which only a LiveKit server has.
func diagnose(ctx context.Context, wsURL, token string, err error) error {
	u, perr := url.Parse(wsURL)
	if perr != nil {
		return room.Fail(room.ErrUnreachable, err, "")
	}
	switch u.Scheme {
	case "wss":
		u.Scheme = "https"
	case "ws":
		u.Scheme = "http"
	}
	u.Path = strings.TrimSuffix(u.Path, "/") + "/rtc/validate"
	u.RawQuery = url.Values{"access_token": {token}}.Encode()
	ctx, cancel := context.WithTimeout(ctx, 4*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	resp, herr := http.DefaultClient.Do(req)
	if herr != nil {
		var cert interface{ Error() string }
		switch {
		case errors.As(herr, &cert) && strings.Contains(herr.Error(), "certificate"):
			return room.Fail(room.ErrCertificate, herr, "")
		case isNetErr(herr):
			return room.Fail(room.ErrUnreachable, herr, "")
		}
		return classify(err)
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return room.Fail(room.ErrUnauthorized, err, "%s", strings.TrimSpace(string(body)))
	case resp.StatusCode == http.StatusOK && strings.TrimSpace(string(body)) == "success":
		return classify(err) // a LiveKit server that accepts the token
	}
	return room.Fail(room.ErrNotARoom, err, "HTTP %d", resp.StatusCode)
}

func isNetErr(err error) bool {
	var op *net.OpError
	var dns *net.DNSError
	return errors.As(err, &op) || errors.As(err, &dns) || errors.Is(err, context.DeadlineExceeded)
}
