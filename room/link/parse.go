package link

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// MaxLen caps the text Parse reads: a meeting link is never this long, and
// a paste of a whole document must not cost much.
const MaxLen = 8 << 10

// maxShown caps Error.Text, which the UI may quote back.
const maxShown = 200

// Parse decides what a pasted text leads to. It never touches the network:
// links that only a request can classify (self-hosted Jitsi, WHIP) come
// back as NotAMeeting, and Probe can look further.
func Parse(text string) (Link, error) {
	if len(text) > MaxLen {
		return Link{}, &Error{Reason: TooLong, Text: shown(text)}
	}
	text = cleanText(text)
	if text == "" {
		return Link{}, &Error{Reason: Empty}
	}
	cand, ok := findLink(text)
	if !ok {
		return Link{}, &Error{Reason: NotALink, Text: shown(text)}
	}
	l, err := parseURL(cand, 0)
	if err != nil {
		return Link{}, err
	}
	l.URL = guardEnd(l.URL)
	return l, nil
}

// guardEnd percent-encodes a last character that findLink would take for
// sentence punctuation ("…/rooms/team." or "?token=x."), so the link
// reads back the same when pasted, or wrapped in a kaigi: link.
func guardEnd(u string) string {
	if u == "" {
		return u
	}
	c := u[len(u)-1]
	if c < utf8.RuneSelf && trimPunct(string(c)) == "" {
		return u[:len(u)-1] + fmt.Sprintf("%%%02X", c)
	}
	return u
}

// cleanText turns control and invisible format characters into spaces
// (they come with pastes from chat apps and documents) and trims.
func cleanText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return ' '
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// schemeless are schemes written without "//" (kaigi:https://..., msteams:...).
var knownSchemes = []string{"kaigi:", "zoommtg:", "zoomus:", "msteams:", "jitsi-meet:", "dingtalk:", "wemeet:"}

// findLink picks the first thing in text that looks like a link: a token
// with "://", one of the schemes above, or, when text is a single word, a
// host name with a path (meet.example.org/rooms/x).
func findLink(text string) (string, bool) {
	fields := strings.FieldsFunc(text, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("<>\"'`「」『』（）()[]", r) && r != '[' && r != ']'
	})
	for _, f := range fields {
		f = trimPunct(f)
		lower := strings.ToLower(f)
		if i := strings.Index(lower, "://"); i > 0 && isScheme(lower[:i]) {
			return f, true
		}
		for _, s := range knownSchemes {
			if strings.HasPrefix(lower, s) && len(f) > len(s) {
				return f, true
			}
		}
	}
	if len(fields) == 1 {
		f := trimPunct(fields[0])
		host, _, _ := strings.Cut(f, "/")
		if strings.Contains(host, ".") && !strings.HasPrefix(host, ".") && !strings.Contains(f, "@") && strings.Contains(f, "/") {
			return "https://" + f, true
		}
	}
	return "", false
}

// trimPunct drops sentence punctuation glued to the end of a link.
func trimPunct(s string) string {
	return strings.TrimRightFunc(s, func(r rune) bool {
		return strings.ContainsRune(".,;:!?。、，；：！？…", r)
	})
}

func isScheme(s string) bool {
	if s == "" || !('a' <= s[0] && s[0] <= 'z') {
		return false
	}
	for _, c := range s {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

func parseURL(raw string, depth int) (Link, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		return Link{}, &Error{Reason: Malformed, Text: shown(raw)}
	}
	scheme := strings.ToLower(u.Scheme)
	switch scheme {
	case "kaigi":
		if depth > 0 {
			return Link{}, &Error{Reason: Malformed, Text: shown(raw)}
		}
		inner, err := unwrapKaigi(u)
		if err != nil {
			return Link{}, &Error{Reason: Malformed, Text: shown(raw)}
		}
		l, err := parseURL(inner, depth+1)
		if err != nil {
			return Link{}, err
		}
		if !l.Joinable() {
			return Link{}, &Error{Reason: NotAMeeting, Text: shown(raw)}
		}
		return l, nil
	case "http", "https":
		return parseWeb(u, raw)
	case "ws", "wss":
		return parseLiveKitServer(u, raw)
	case "zoommtg", "zoomus":
		return service(Closed, ServiceZoom, raw), nil
	case "msteams":
		return service(Closed, ServiceTeams, raw), nil
	case "dingtalk":
		return service(Closed, ServiceDingTalk, raw), nil
	case "wemeet":
		return service(Closed, ServiceVooV, raw), nil
	case "jitsi-meet":
		return service(Unsupported, ServiceJitsi, raw), nil
	}
	return Link{}, &Error{Reason: BadScheme, Text: shown(raw)}
}

func service(k Kind, name, raw string) Link {
	return Link{Kind: k, Service: name, URL: raw}
}

// Joinable says whether a dialect can join the link.
func (l Link) Joinable() bool {
	return l.Kind == Galene || l.Kind == LiveKit || l.Kind == LiveKitMeet
}

// host returns the host in ASCII (IDN hosts become punycode, so the same
// link always gives the same result) with the port, or ok=false.
func asciiHost(u *url.URL) (string, bool) {
	h := u.Hostname()
	if h == "" {
		return "", false
	}
	if strings.Contains(h, ":") { // IPv6 literal
		if u.Port() != "" {
			return "[" + h + "]:" + u.Port(), true
		}
		return "[" + h + "]", true
	}
	a, err := idna.Lookup.ToASCII(strings.ToLower(h))
	if err != nil || !dnsLength(a) {
		return "", false
	}
	if p := u.Port(); p != "" {
		if !validPort(p) {
			return "", false
		}
		return a + ":" + p, true
	}
	if strings.HasSuffix(u.Host, ":") {
		return "", false
	}
	return a, true
}

// dnsLength says whether name fits DNS: 1 to 253 bytes, labels of at
// most 63 (a longer host is never reached, and punycode of one does not
// read back the same).
func dnsLength(name string) bool {
	if name == "" || len(strings.TrimSuffix(name, ".")) > 253 {
		return false
	}
	for _, label := range strings.Split(strings.TrimSuffix(name, "."), ".") {
		if len(label) > 63 {
			return false
		}
	}
	return true
}

func validPort(p string) bool {
	if len(p) == 0 || len(p) > 5 {
		return false
	}
	n := 0
	for _, c := range p {
		if c < '0' || c > '9' {
			return false
		}
		n = n*10 + int(c-'0')
	}
	return n > 0 && n < 65536
}

// Closed and recognised services, by host name (and sub-domains).
var closedHosts = map[string]string{
	"zoom.us":              ServiceZoom,
	"zoom.com":             ServiceZoom,
	"zoomgov.com":          ServiceZoom,
	"meet.google.com":      ServiceGoogleMeet,
	"teams.microsoft.com":  ServiceTeams,
	"teams.live.com":       ServiceTeams,
	"meeting.dingtalk.com": ServiceDingTalk,
	"voovmeeting.com":      ServiceVooV,
	"meeting.tencent.com":  ServiceVooV,
}

var unsupportedHosts = map[string]string{
	"meet.jit.si":     ServiceJitsi,
	"8x8.vc":          ServiceJitsi,
	"call.element.io": ServiceElementCall,
}

func lookupHost(m map[string]string, host string) (string, bool) {
	for h := host; h != ""; {
		if s, ok := m[h]; ok {
			return s, true
		}
		_, rest, found := strings.Cut(h, ".")
		if !found {
			break
		}
		h = rest
	}
	return "", false
}

func parseWeb(u *url.URL, raw string) (Link, error) {
	host, ok := asciiHost(u)
	if !ok {
		return Link{}, &Error{Reason: Malformed, Text: shown(raw)}
	}
	scheme := strings.ToLower(u.Scheme)
	name := strings.ToLower(u.Hostname())
	if a, err := idna.Lookup.ToASCII(name); err == nil {
		name = a
	}
	if s, ok := lookupHost(closedHosts, name); ok {
		return service(Closed, s, u.String()), nil
	}
	if s, ok := lookupHost(unsupportedHosts, name); ok {
		return service(Unsupported, s, u.String()), nil
	}
	path := u.EscapedPath()
	switch {
	case strings.HasPrefix(path, "/group/"):
		return parseGalene(u, scheme, host, raw)
	case path == "/custom" || path == "/custom/":
		return parseLiveKitMeetCustom(u, raw)
	case strings.HasPrefix(path, "/rooms/"):
		room, err := url.PathUnescape(strings.Trim(strings.TrimPrefix(path, "/rooms/"), "/"))
		if err != nil || room == "" || room == "." || room == ".." || strings.Contains(room, "/") {
			return Link{}, &Error{Reason: Malformed, Text: shown(raw)}
		}
		meet := scheme + "://" + host
		l := Link{Kind: LiveKitMeet, MeetURL: meet, Room: room, Passphrase: u.Fragment}
		l.URL = meet + "/rooms/" + url.PathEscape(room) + fragment(u.Fragment)
		return l, nil
	case strings.HasSuffix(strings.ToLower(path), "/videoroomtest.html"):
		return service(Unsupported, ServiceJanus, u.String()), nil
	}
	return Link{}, &Error{Reason: NotAMeeting, Text: shown(u.String())}
}

func fragment(f string) string {
	if f == "" {
		return ""
	}
	return "#" + url.PathEscape(f)
}

var hexPin = regexp.MustCompile(`^[0-9a-f]{64}$`)

func parseGalene(u *url.URL, scheme, host, raw string) (Link, error) {
	name := strings.TrimPrefix(u.Path, "/group/")
	name = strings.TrimSuffix(name, "/")
	if !ValidGroup(name) {
		return Link{}, &Error{Reason: BadGroup, Text: shown(raw)}
	}
	l := Link{Kind: Galene, Group: name, Token: u.Query().Get("token")}
	if f := u.Fragment; strings.HasPrefix(f, "sha256=") || strings.HasPrefix(f, "e2ee=") {
		// A Kaigi host puts its certificate's fingerprint in the fragment,
		// and for an encrypted meeting the media key after it
		// (sha256=PIN&e2ee=KEY); any other fragment is not ours and is
		// left alone.
		for _, part := range strings.Split(f, "&") {
			k, v, _ := strings.Cut(part, "=")
			switch k {
			case "sha256":
				v = strings.ToLower(strings.ReplaceAll(v, ":", ""))
				if !hexPin.MatchString(v) {
					return Link{}, &Error{Reason: BadPin, Text: shown(raw)}
				}
				l.Pin = v
			case "e2ee":
				if b, err := base64.RawURLEncoding.DecodeString(v); err != nil || len(b) != KeySize {
					return Link{}, &Error{Reason: BadPin, Text: shown(raw)}
				}
				l.Key = v
			}
		}
	}
	l.GroupURL = scheme + "://" + host + "/group/" + escapeGroup(name) + "/"
	l.URL = l.GroupURL
	if l.Token != "" {
		l.URL += "?token=" + url.QueryEscape(l.Token)
	}
	switch {
	case l.Pin != "" && l.Key != "":
		l.URL += "#sha256=" + l.Pin + "&e2ee=" + l.Key
	case l.Pin != "":
		l.URL += "#sha256=" + l.Pin
	case l.Key != "":
		l.URL += "#e2ee=" + l.Key
	}
	return l, nil
}

// ValidGroup says whether name is a Galène group name: not empty, no
// leading or trailing "/", no leading ".", no "." or ".." path element,
// no empty element, no control characters.
func ValidGroup(name string) bool {
	if name == "" || len(name) > 256 || strings.HasPrefix(name, ".") {
		return false
	}
	for _, part := range strings.Split(name, "/") {
		if part == "" || part == "." || part == ".." {
			return false
		}
	}
	for _, r := range name {
		if unicode.IsControl(r) || r == utf8.RuneError || r == '?' || r == '#' || r == '\\' {
			return false
		}
	}
	return true
}

func escapeGroup(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/")
}

func parseLiveKitMeetCustom(u *url.URL, raw string) (Link, error) {
	q := u.Query()
	server := q.Get("liveKitUrl")
	if server == "" {
		return Link{}, &Error{Reason: NotAMeeting, Text: shown(raw)}
	}
	su, err := url.Parse(server)
	if err != nil {
		return Link{}, &Error{Reason: Malformed, Text: shown(raw)}
	}
	l, err := parseLiveKitServerURL(su, raw)
	if err != nil {
		return Link{}, err
	}
	l.Token = q.Get("token")
	if l.Token == "" {
		return Link{}, &Error{Reason: NoToken, Text: shown(raw)}
	}
	l.Passphrase = u.Fragment
	host, _ := asciiHost(u)
	v := url.Values{"liveKitUrl": {l.ServerURL}, "token": {l.Token}}
	l.URL = strings.ToLower(u.Scheme) + "://" + host + "/custom?" + v.Encode() + fragment(l.Passphrase)
	return l, nil
}

// parseLiveKitServer reads a LiveKit server address with its token, the
// form `lk token create` and LiveKit's sandbox print: wss://HOST?token=JWT.
func parseLiveKitServer(u *url.URL, raw string) (Link, error) {
	l, err := parseLiveKitServerURL(u, raw)
	if err != nil {
		return Link{}, err
	}
	l.Token = u.Query().Get("token")
	if l.Token == "" {
		return Link{}, &Error{Reason: NoToken, Text: shown(raw)}
	}
	l.Passphrase = u.Fragment
	l.URL = l.ServerURL + "?" + url.Values{"token": {l.Token}}.Encode() + fragment(l.Passphrase)
	return l, nil
}

// parseLiveKitServerURL normalises a server address to ws:// or wss://
// (http and https are accepted, as LiveKit's SDKs do).
func parseLiveKitServerURL(su *url.URL, raw string) (Link, error) {
	scheme := strings.ToLower(su.Scheme)
	switch scheme {
	case "https":
		scheme = "wss"
	case "http":
		scheme = "ws"
	case "ws", "wss":
	default:
		return Link{}, &Error{Reason: Malformed, Text: shown(raw)}
	}
	host, ok := asciiHost(su)
	if !ok {
		return Link{}, &Error{Reason: Malformed, Text: shown(raw)}
	}
	path := strings.TrimRight(su.EscapedPath(), "/")
	return Link{Kind: LiveKit, ServerURL: scheme + "://" + host + path}, nil
}

func shown(s string) string {
	if len(s) <= maxShown {
		return s
	}
	cut := maxShown
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// KeySize is the size of a hosted meeting's media key, in bytes.
const KeySize = 32

// WithKey adds an end-to-end encryption key to the invite link of a
// meeting Kaigi hosts: the key travels only in the fragment, which never
// reaches the server.
func WithKey(invite string, key []byte) string {
	k := base64.RawURLEncoding.EncodeToString(key)
	if strings.Contains(invite, "#") {
		return invite + "&e2ee=" + k
	}
	return invite + "#e2ee=" + k
}
