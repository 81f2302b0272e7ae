package app

import (
	"errors"
	"net/url"

	"kaigi/room"
	"kaigi/room/link"
)

// linkReasonKeys names the sentence for each way a link can be refused.
var linkReasonKeys = map[link.Reason]string{
	link.Empty:       "link.err.empty",
	link.TooLong:     "link.err.too_long",
	link.NotALink:    "link.err.not_a_link",
	link.BadScheme:   "link.err.bad_scheme",
	link.Malformed:   "link.err.malformed",
	link.NotAMeeting: "link.err.not_a_meeting",
	link.NoToken:     "link.err.no_token",
	link.BadGroup:    "link.err.bad_group",
	link.BadPin:      "link.err.bad_pin",
}

// serviceKeys names the services Kaigi recognises.
var serviceKeys = map[string]string{
	link.ServiceZoom:        "service.zoom",
	link.ServiceGoogleMeet:  "service.google-meet",
	link.ServiceTeams:       "service.teams",
	link.ServiceDingTalk:    "service.dingtalk",
	link.ServiceVooV:        "service.voov",
	link.ServiceJitsi:       "service.jitsi",
	link.ServiceElementCall: "service.element-call",
	link.ServiceJanus:       "service.janus",
	link.ServiceWHIP:        "service.whip",
}

// webServices are the services Kaigi cannot join yet that run in a
// browser, so their links open there.
var webServices = map[string]bool{link.ServiceJitsi: true, link.ServiceElementCall: true}

// linkProblem is the message for a parsed link that cannot be joined, or
// for Parse's error; nil when the link is joinable.
func linkProblem(l link.Link, err error) *problem {
	var le *link.Error
	if errors.As(err, &le) {
		return &problem{Key: linkReasonKeys[le.Reason]}
	}
	if err != nil {
		return &problem{Key: "link.err.malformed"}
	}
	service := serviceKeys[l.Service]
	if service == "" {
		service = "service.other"
	}
	switch l.Kind {
	case link.Closed:
		return &problem{Key: "link.closed", ServiceKey: service, BrowserURL: browserURL(l.URL)}
	case link.Unsupported:
		if webServices[l.Service] {
			return &problem{Key: "link.unsupported_web", ServiceKey: service, BrowserURL: browserURL(l.URL)}
		}
		return &problem{Key: "link.unsupported", ServiceKey: service}
	}
	return nil
}

// browserURL is a link a browser can open (an app scheme like zoommtg:
// is handed to the OS as it is).
func browserURL(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Scheme != "" {
		return raw
	}
	return ""
}

// roomReasonKeys names the sentence for each way joining can fail.
var roomReasonKeys = []struct {
	reason error
	key    string
}{
	{room.ErrPasswordNeeded, "err.password_needed"},
	{room.ErrUnauthorized, "err.unauthorized"},
	{room.ErrUnreachable, "err.unreachable"},
	{room.ErrNotARoom, "err.not_a_room"},
	{room.ErrCertificate, "err.certificate"},
	{room.ErrNoRoom, "err.no_room"},
	{room.ErrRoomFull, "err.room_full"},
	{room.ErrLocked, "err.locked"},
	{room.ErrDisconnected, "err.disconnected"},
	{room.ErrEnded, "err.ended"},
	{room.ErrKicked, "err.kicked"},
	{room.ErrProtocol, "err.protocol"},
	{room.ErrMedia, "err.media"},
	{room.ErrTimeout, "err.timeout"},
	{room.ErrUnsupported, "err.unavailable"},
}

// finalReasons are failures that trying again cannot mend.
var finalReasons = []error{room.ErrEnded, room.ErrKicked, room.ErrNoRoom, room.ErrUnauthorized,
	room.ErrCertificate, room.ErrNotARoom, room.ErrUnsupported}

func roomProblem(err error) *problem {
	for _, r := range roomReasonKeys {
		if errors.Is(err, r.reason) {
			p := &problem{Key: r.key}
			for _, f := range finalReasons {
				p.Final = p.Final || errors.Is(err, f)
			}
			return p
		}
	}
	return &problem{Key: "err.unknown", Detail: err.Error()}
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	return u.Host
}
