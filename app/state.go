package app

import (
	"context"
	"time"

	"fyne.io/fyne/v2/widget"

	"kaigi/media"
	"kaigi/room/link"
)

// Screen is which screen the main window shows.
type Screen int

const (
	ScreenHome Screen = iota
	ScreenSettings
	ScreenLobby
	ScreenJoining
	ScreenCall
)

// maxRecent is how many recent meetings are remembered.
const maxRecent = 10

// Recent is a meeting joined before.
type Recent struct {
	URL   string    `json:"url"`
	Title string    `json:"title"`
	When  time.Time `json:"when"`
}

// problem is a message to show: a catalog key with what fills it, localized
// when the screen is built (so it follows a language switch), and for
// closed services the page to open in the browser.
type problem struct {
	Key        string
	ServiceKey string // fills {{.Service}} with the service's name
	Detail     string // fills {{.Detail}}: the server's own words
	BrowserURL string
}

// State is everything the screens show; screens are rebuilt from it.
type State struct {
	Screen   Screen
	LinkText string
	Name     string
	Problem  *problem // on the home screen
	Probing  bool     // asking a web server what kind of link it is
	Recent   []Recent

	// Joining
	Link      link.Link
	Password  string
	JoinError *problem
	NeedsPass bool
	cancel    context.CancelFunc
	Hosted    bool // the meeting is one this computer hosts

	Lobby lobbyState
	Call  *callState

	autoJoin bool // screenshots: go through the lobby at once
}

// lobbyState is the pre-join check: devices, preview, start muted or not.
type lobbyState struct {
	Devices             devices
	CamID, MicID, SpkID string
	MicOn, CamOn        bool
	local               *media.Local
	camErr, micErr      error
	preview             *videoTile
	meter               *widget.ProgressBar
	stopMeter           chan struct{}
}

func newState(p prefs) *State {
	return &State{Name: p.name(), Recent: p.recent(), Lobby: lobbyState{
		CamID: p.p.String(prefCamera), MicID: p.p.String(prefMicrophone), SpkID: p.p.String(prefSpeaker),
		MicOn: p.p.BoolWithFallback(prefMicOn, true), CamOn: p.p.BoolWithFallback(prefCamOn, true)}}
}

// addRecent puts a meeting first in the recent list, once.
func (s *State) addRecent(l link.Link, now time.Time) {
	r := Recent{URL: l.URL, Title: title(l), When: now}
	list := []Recent{r}
	for _, old := range s.Recent {
		if old.URL != r.URL && len(list) < maxRecent {
			list = append(list, old)
		}
	}
	s.Recent = list
}

func (s *State) removeRecent(url string) {
	var list []Recent
	for _, r := range s.Recent {
		if r.URL != url {
			list = append(list, r)
		}
	}
	s.Recent = list
}

// title is how a meeting is named in lists: its room or group and host.
func title(l link.Link) string {
	switch l.Kind {
	case link.Galene:
		return l.Group + " · " + hostOf(l.GroupURL)
	case link.LiveKitMeet:
		return l.Room + " · " + hostOf(l.MeetURL)
	case link.LiveKit:
		return hostOf(l.ServerURL)
	}
	return l.URL
}
