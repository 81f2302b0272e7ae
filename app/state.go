package app

import (
	"context"
	"time"

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
	// Final: trying again cannot help (the meeting ended, we were removed).
	Final bool
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
	CallLost  bool // JoinError ended a call we were in (not a join)
	// UnsentChat is what the lost call could not send: shown with why it
	// ended, and sent if the user rejoins.
	UnsentChat []string
	NeedsPass  bool
	cancel     context.CancelFunc

	// Passphrase encrypts a LiveKit meeting end to end: the link's, or
	// typed in the lobby.
	Passphrase string
	// NewEncrypted makes New meeting end-to-end encrypted (its key in the
	// invite link).
	NewEncrypted bool

	// Hosted is the meeting this computer hosts for the user, from New
	// meeting until it ends (leaving it, or going home without joining).
	Hosted hostedMeeting

	Lobby lobbyState
	Call  *callState

	settingsFrom Screen // where Settings returns to

	autoJoin   bool
	sampleCall string // --screen call-*: what to show in the call // screenshots: go through the lobby at once
}

// hostedMeeting is a meeting this computer hosts: its invite, and the URL
// its link parses to (to tell whether the link being joined is it).
type hostedMeeting struct{ invite, url string }

// hosts says whether l is the meeting this computer hosts.
func (s *State) hosts(l link.Link) bool { return s.Hosted.url != "" && l.URL == s.Hosted.url }

// lobbyState is the pre-join check: devices, preview, start muted or not.
type lobbyState struct {
	Devices             devices
	CamID, MicID, SpkID string
	MicOn, CamOn        bool
	local               *media.Local
	camErr, micErr      error
	preview             *videoTile
	meter               *levelMeter
	stopMeter           chan struct{}
}

func newState(p prefs) *State {
	return &State{Name: p.name(), Recent: p.recent(), Lobby: lobbyState{
		CamID: p.p.String(prefCamera), MicID: p.p.String(prefMicrophone), SpkID: p.p.String(prefSpeaker),
		MicOn: p.p.BoolWithFallback(prefMicOn, true), CamOn: p.p.BoolWithFallback(prefCamOn, true)}}
}

// addRecent puts a meeting first in the recent list, once: an older entry
// with the same link or the same title (the same meeting, invited anew) goes.
func (s *State) addRecent(l link.Link, now time.Time) {
	r := Recent{URL: l.URL, Title: title(l), When: now}
	list := []Recent{r}
	for _, old := range s.Recent {
		if old.URL != r.URL && old.Title != r.Title && len(list) < maxRecent {
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
