// Package link reads the meeting links people paste and decides which kind of
// room each is (see docs/links.md). It has no UI: every outcome is a typed
// result the UI turns into a localized sentence.
package link

// Kind is what a link leads to.
type Kind int

const (
	// Galene is a Galène-protocol group: a Galène server, or a meeting
	// hosted by Kaigi (then Pin is set).
	Galene Kind = iota + 1
	// LiveKit is a LiveKit server URL with a token (LiveKit Meet "custom").
	LiveKit
	// LiveKitMeet is a LiveKit Meet room link: the token comes from the
	// deployment's connection-details endpoint.
	LiveKitMeet
	// Unsupported is a service Kaigi recognises but cannot join yet.
	Unsupported
	// Closed is a closed service no third-party client can join.
	Closed
)

// Link is a parsed meeting link.
type Link struct {
	Kind Kind
	// URL is the link as Kaigi understood it (https form, cleaned).
	URL string

	// Galène
	GroupURL string // https://HOST[:PORT]/group/NAME/ (with trailing slash)
	Group    string // NAME, may contain "/"
	Token    string // ?token=
	Pin      string // SHA-256 of the host certificate, lower-case hex, from the fragment
	Key      string // media key of an end-to-end encrypted hosted meeting (base64url), from the fragment

	// LiveKit
	ServerURL  string // ws:// or wss://
	Passphrase string // end-to-end encryption passphrase (fragment)
	Room       string // LiveKit Meet room name
	MeetURL    string // https://HOST of a LiveKit Meet deployment

	// Unsupported and Closed
	Service string // one of the Service* names below
}

// The services Link.Service names.
const (
	ServiceZoom        = "zoom"
	ServiceGoogleMeet  = "google-meet"
	ServiceTeams       = "teams"
	ServiceDingTalk    = "dingtalk"
	ServiceVooV        = "voov"
	ServiceJitsi       = "jitsi"
	ServiceElementCall = "element-call"
	ServiceJanus       = "janus"
	ServiceWHIP        = "whip"
)

// Reason says why text is not a joinable link. The UI maps each to a
// localized sentence.
type Reason int

const (
	Empty       Reason = iota + 1 // nothing but whitespace
	TooLong                       // longer than MaxLen
	NotALink                      // no URL in the text
	BadScheme                     // a URL with a scheme Kaigi does not handle (ftp:, mailto:, ...)
	Malformed                     // looks like a URL but cannot be read (bad host, bad escape, ...)
	NotAMeeting                   // a web address that is no meeting link Kaigi knows
	NoToken                       // a LiveKit server address without an access token
	BadGroup                      // a Galène group link whose group name is not valid
	BadPin                        // a certificate fingerprint that is not 64 hex digits, or a damaged media key
)

// Error is why Parse refused text.
type Error struct {
	Reason Reason
	Text   string // the part of the input that was examined, capped for display
}

func (e *Error) Error() string { return "not a meeting link: " + e.Text }
