package link

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// probeTimeout bounds the one request Probe makes.
const probeTimeout = 5 * time.Second

// Probe classifies a web link that Parse could not (NotAMeeting) with one
// quick request to its host: a self-hosted Jitsi Meet serves /config.js, a
// WHIP or WHEP endpoint accepts application/sdp. It returns an Unsupported
// link naming the service, or Parse's NotAMeeting error.
func Probe(ctx context.Context, client *http.Client, raw string) (Link, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return Link{}, &Error{Reason: Malformed, Text: shown(raw)}
	}
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()

	cfg := *u
	cfg.Path, cfg.RawQuery, cfg.Fragment, cfg.RawPath = "/config.js", "", "", ""
	if body, status, err := fetch(ctx, client, http.MethodGet, cfg.String(), 64<<10); err == nil && status == http.StatusOK {
		if bytes.Contains(body, []byte("var config")) && (bytes.Contains(body, []byte("hosts")) || bytes.Contains(body, []byte("bosh"))) {
			return service(Unsupported, ServiceJitsi, u.String()), nil
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodOptions, u.String(), nil)
	if err == nil {
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			accept := strings.ToLower(resp.Header.Get("Accept-Post"))
			if resp.StatusCode < 300 && strings.Contains(accept, "application/sdp") {
				return service(Unsupported, ServiceWHIP, u.String()), nil
			}
		}
	}
	return Link{}, &Error{Reason: NotAMeeting, Text: shown(raw)}
}

func fetch(ctx context.Context, client *http.Client, method, u string, limit int64) ([]byte, int, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return nil, 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit))
	return body, resp.StatusCode, err
}

// ErrMeetLookup is wrapped by FetchLiveKitMeet's errors.
var ErrMeetLookup = errors.New("LiveKit Meet gave no connection details")

// MeetDetails is what a LiveKit Meet deployment hands out for a room.
type MeetDetails struct {
	ServerURL string `json:"serverUrl"`
	RoomName  string `json:"roomName"`
	Name      string `json:"participantName"`
	Token     string `json:"participantToken"`
}

// FetchLiveKitMeet asks a LiveKit Meet deployment for a token to its room
// (GET MEET/api/connection-details?roomName=ROOM&participantName=NAME).
func FetchLiveKitMeet(ctx context.Context, client *http.Client, l Link, participantName string) (MeetDetails, error) {
	if l.Kind != LiveKitMeet {
		return MeetDetails{}, fmt.Errorf("%w: not a LiveKit Meet room link", ErrMeetLookup)
	}
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	q := url.Values{"roomName": {l.Room}, "participantName": {participantName}}
	body, status, err := fetch(ctx, client, http.MethodGet, l.MeetURL+"/api/connection-details?"+q.Encode(), 64<<10)
	if err != nil {
		return MeetDetails{}, fmt.Errorf("%w: %v", ErrMeetLookup, err)
	}
	if status != http.StatusOK {
		return MeetDetails{}, fmt.Errorf("%w: HTTP %d", ErrMeetLookup, status)
	}
	var d MeetDetails
	if err := json.Unmarshal(body, &d); err != nil {
		return MeetDetails{}, fmt.Errorf("%w: %v", ErrMeetLookup, err)
	}
	su, err := url.Parse(d.ServerURL)
	if err != nil || d.Token == "" || (su.Scheme != "wss" && su.Scheme != "ws" && su.Scheme != "https" && su.Scheme != "http") || su.Host == "" {
		return MeetDetails{}, fmt.Errorf("%w: incomplete answer", ErrMeetLookup)
	}
	return d, nil
}
