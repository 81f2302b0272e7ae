package link

import (
	"errors"
	"net/url"
	"strings"
)

// Kaigi's own URL scheme lets a browser or a chat app hand any joinable
// link to the installed app (see README.md in this folder):
//
//	kaigi://join?link=<the https/wss link, percent-encoded>
//
// The wrapped link keeps its query and fragment, so the mapping is lossless
// both ways. Also read, for hand-typed links: kaigi:https://HOST/... and
// kaigi://HOST/group/NAME/... (an https Galène link with the scheme swapped).

// KaigiURL wraps a joinable link in the kaigi: scheme.
func (l Link) KaigiURL() string {
	if !l.Joinable() {
		return ""
	}
	return "kaigi://join?" + url.Values{"link": {l.URL}}.Encode()
}

// String is the link in its web form.
func (l Link) String() string { return l.URL }

var errNotWrapped = errors.New("kaigi: link wraps nothing")

func unwrapKaigi(u *url.URL) (string, error) {
	if u.Opaque != "" {
		// kaigi:https://host/... : the wrapped link is the rest.
		inner := u.Opaque
		if u.RawQuery != "" {
			inner += "?" + u.RawQuery
		}
		if u.Fragment != "" {
			inner += "#" + u.EscapedFragment()
		}
		if !strings.Contains(inner, "://") {
			return "", errNotWrapped
		}
		return inner, nil
	}
	if strings.EqualFold(u.Host, "join") {
		inner := u.Query().Get("link")
		if inner == "" {
			return "", errNotWrapped
		}
		return inner, nil
	}
	if u.Host == "" {
		return "", errNotWrapped
	}
	w := *u
	w.Scheme = "https"
	return w.String(), nil
}
