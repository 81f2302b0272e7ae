package link

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

// These tests run real HTTP servers on loopback playing the part of a
// self-hosted Jitsi, a WHIP endpoint, a LiveKit Meet deployment and an
// ordinary web site.

func TestProbe(t *testing.T) {
	mux := http.NewServeMux()
	jitsi := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/config.js" {
			w.Write([]byte("var config = { hosts: { domain: 'meet.example.org' } };"))
			return
		}
		http.NotFound(w, r)
	}))
	defer jitsi.Close()
	mux.HandleFunc("/whip/endpoint", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Accept-Post", "application/sdp")
		w.WriteHeader(http.StatusNoContent)
	})
	other := httptest.NewServer(mux)
	defer other.Close()

	ctx := context.Background()
	l, err := Probe(ctx, http.DefaultClient, jitsi.URL+"/MyRoom")
	if err != nil || l.Kind != Unsupported || l.Service != "jitsi" {
		t.Errorf("jitsi: %+v %v", l, err)
	}
	l, err = Probe(ctx, http.DefaultClient, other.URL+"/whip/endpoint")
	if err != nil || l.Kind != Unsupported || l.Service != "whip" {
		t.Errorf("whip: %+v %v", l, err)
	}
	_, err = Probe(ctx, http.DefaultClient, other.URL+"/about")
	var e *Error
	if !errors.As(err, &e) || e.Reason != NotAMeeting {
		t.Errorf("plain site: %v", err)
	}
	_, err = Probe(ctx, http.DefaultClient, "http://127.0.0.1:1/x")
	if !errors.As(err, &e) || e.Reason != NotAMeeting {
		t.Errorf("nothing listening: %v", err)
	}
}

func TestFetchLiveKitMeet(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("roomName") {
		case "ok":
			w.Write([]byte(`{"serverUrl":"wss://lk.example.org","roomName":"ok","participantName":"` +
				r.URL.Query().Get("participantName") + `","participantToken":"TOKEN"}`))
		case "garbage":
			w.Write([]byte(`<html>`))
		case "partial":
			w.Write([]byte(`{"serverUrl":"wss://lk.example.org"}`))
		default:
			http.Error(w, "no", http.StatusInternalServerError)
		}
	}))
	defer srv.Close()
	l, err := Parse(srv.URL + "/rooms/ok")
	if err != nil {
		t.Fatal(err)
	}
	d, err := FetchLiveKitMeet(context.Background(), srv.Client(), l, "さくら")
	if err != nil || d.Token != "TOKEN" || d.ServerURL != "wss://lk.example.org" || d.Name != "さくら" {
		t.Fatalf("got %+v, %v", d, err)
	}
	for _, room := range []string{"garbage", "partial", "error"} {
		l.Room = room
		if _, err := FetchLiveKitMeet(context.Background(), srv.Client(), l, "x"); !errors.Is(err, ErrMeetLookup) {
			t.Errorf("%s: %v", room, err)
		}
	}
}
