package link

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

const pin = "3f1a5c0e9b7d2468ace013579bdf2468ace013579bdf2468ace013579bdf2468"

// key is a hosted meeting's media key: 32 bytes in base64url.
const key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"

func TestParseJoinable(t *testing.T) {
	tests := []struct {
		in   string
		want Link
	}{
		{"https://galene.example.org/group/staff/", Link{Kind: Galene, Group: "staff",
			GroupURL: "https://galene.example.org/group/staff/", URL: "https://galene.example.org/group/staff/"}},
		{"https://galene.example.org:8443/group/staff", Link{Kind: Galene, Group: "staff",
			GroupURL: "https://galene.example.org:8443/group/staff/", URL: "https://galene.example.org:8443/group/staff/"}},
		{"https://galene.example.org/group/team/sub/?token=abc-DEF_1", Link{Kind: Galene, Group: "team/sub", Token: "abc-DEF_1",
			GroupURL: "https://galene.example.org/group/team/sub/", URL: "https://galene.example.org/group/team/sub/?token=abc-DEF_1"}},
		{"https://192.168.1.20:8443/group/kaigi-7f3a/?token=t0k#sha256=" + pin, Link{Kind: Galene, Group: "kaigi-7f3a", Token: "t0k", Pin: pin,
			GroupURL: "https://192.168.1.20:8443/group/kaigi-7f3a/", URL: "https://192.168.1.20:8443/group/kaigi-7f3a/?token=t0k#sha256=" + pin}},
		{"https://192.168.1.20:8443/group/kaigi-7f3a/?token=t0k#sha256=" + pin + "&e2ee=" + key, Link{Kind: Galene, Group: "kaigi-7f3a", Token: "t0k", Pin: pin, Key: key,
			GroupURL: "https://192.168.1.20:8443/group/kaigi-7f3a/", URL: "https://192.168.1.20:8443/group/kaigi-7f3a/?token=t0k#sha256=" + pin + "&e2ee=" + key}},
		{"http://127.0.0.1:8080/group/k/#e2ee=" + key, Link{Kind: Galene, Group: "k", Key: key,
			GroupURL: "http://127.0.0.1:8080/group/k/", URL: "http://127.0.0.1:8080/group/k/#e2ee=" + key}},
		{"https://[::1]:8443/group/x/", Link{Kind: Galene, Group: "x",
			GroupURL: "https://[::1]:8443/group/x/", URL: "https://[::1]:8443/group/x/"}},
		{"http://127.0.0.1:8080/group/plain/", Link{Kind: Galene, Group: "plain",
			GroupURL: "http://127.0.0.1:8080/group/plain/", URL: "http://127.0.0.1:8080/group/plain/"}},
		{"https://bücher.example/group/会議/", Link{Kind: Galene, Group: "会議",
			GroupURL: "https://xn--bcher-kva.example/group/%E4%BC%9A%E8%AD%B0/", URL: "https://xn--bcher-kva.example/group/%E4%BC%9A%E8%AD%B0/"}},
		{"https://meet.livekit.io/custom?liveKitUrl=wss%3A%2F%2Fmy.livekit.cloud&token=eyJ.a.b#secret-phrase", Link{Kind: LiveKit,
			ServerURL: "wss://my.livekit.cloud", Token: "eyJ.a.b", Passphrase: "secret-phrase",
			URL: "https://meet.livekit.io/custom?liveKitUrl=wss%3A%2F%2Fmy.livekit.cloud&token=eyJ.a.b#secret-phrase"}},
		{"https://meet.example.com/custom?liveKitUrl=ws%3A%2F%2F127.0.0.1%3A7880&token=T", Link{Kind: LiveKit,
			ServerURL: "ws://127.0.0.1:7880", Token: "T", URL: "https://meet.example.com/custom?liveKitUrl=ws%3A%2F%2F127.0.0.1%3A7880&token=T"}},
		{"wss://lk.example.org?token=T", Link{Kind: LiveKit, ServerURL: "wss://lk.example.org", Token: "T", URL: "wss://lk.example.org?token=T"}},
		{"https://meet.livekit.io/rooms/standup-42", Link{Kind: LiveKitMeet, MeetURL: "https://meet.livekit.io", Room: "standup-42",
			URL: "https://meet.livekit.io/rooms/standup-42"}},
		{"https://meet.example.org/rooms/週次/#pass", Link{Kind: LiveKitMeet, MeetURL: "https://meet.example.org", Room: "週次", Passphrase: "pass",
			URL: "https://meet.example.org/rooms/%E9%80%B1%E6%AC%A1#pass"}},
		// A link inside a sentence, with punctuation around it.
		{"Join us here: https://galene.example.org/group/staff/. Thanks!", Link{Kind: Galene, Group: "staff",
			GroupURL: "https://galene.example.org/group/staff/", URL: "https://galene.example.org/group/staff/"}},
		{"会議はこちら「https://galene.example.org/group/staff/」です。", Link{Kind: Galene, Group: "staff",
			GroupURL: "https://galene.example.org/group/staff/", URL: "https://galene.example.org/group/staff/"}},
		{"  galene.example.org/group/staff  ", Link{Kind: Galene, Group: "staff",
			GroupURL: "https://galene.example.org/group/staff/", URL: "https://galene.example.org/group/staff/"}},
		{"HTTPS://Galene.Example.ORG/group/staff/", Link{Kind: Galene, Group: "staff",
			GroupURL: "https://galene.example.org/group/staff/", URL: "https://galene.example.org/group/staff/"}},
		// kaigi: forms.
		{"kaigi://join?link=https%3A%2F%2Fgalene.example.org%2Fgroup%2Fstaff%2F%3Ftoken%3Dabc", Link{Kind: Galene, Group: "staff", Token: "abc",
			GroupURL: "https://galene.example.org/group/staff/", URL: "https://galene.example.org/group/staff/?token=abc"}},
		{"kaigi:https://galene.example.org/group/staff/?token=abc", Link{Kind: Galene, Group: "staff", Token: "abc",
			GroupURL: "https://galene.example.org/group/staff/", URL: "https://galene.example.org/group/staff/?token=abc"}},
		{"kaigi://galene.example.org/group/staff/", Link{Kind: Galene, Group: "staff",
			GroupURL: "https://galene.example.org/group/staff/", URL: "https://galene.example.org/group/staff/"}},
		// A link whose last character reads as punctuation keeps it
		// escaped, so pasting the link back gives the same room.
		{"https://meet.example.org/rooms/team.#", Link{Kind: LiveKitMeet, MeetURL: "https://meet.example.org", Room: "team.",
			URL: "https://meet.example.org/rooms/team%2E"}},
		{"https://meet.example.org/rooms/r#pass%3A", Link{Kind: LiveKitMeet, MeetURL: "https://meet.example.org", Room: "r", Passphrase: "pass:",
			URL: "https://meet.example.org/rooms/r#pass%3A"}},
		{"wss://lk.example.org//?token=T", Link{Kind: LiveKit, ServerURL: "wss://lk.example.org", Token: "T", URL: "wss://lk.example.org?token=T"}},
		{"wss://lk.example.org?token=T.#", Link{Kind: LiveKit, ServerURL: "wss://lk.example.org", Token: "T.", URL: "wss://lk.example.org?token=T%2E"}},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Parse(%q)\n got %+v\nwant %+v", tt.in, got, tt.want)
		}
		back, err := Parse(got.KaigiURL())
		if err != nil || back != got {
			t.Errorf("round trip of %q through %q: %+v, %v", tt.in, got.KaigiURL(), back, err)
		}
		if again, err := Parse(got.URL); err != nil || again != got {
			t.Errorf("%q pasted back: %+v, %v", got.URL, again, err)
		}
	}
}

func TestParseServices(t *testing.T) {
	tests := []struct {
		in      string
		kind    Kind
		service string
	}{
		{"https://us02web.zoom.us/j/85412345678?pwd=abcdEFG", Closed, "zoom"},
		{"https://zoom.us/j/123", Closed, "zoom"},
		{"zoommtg://zoom.us/join?confno=123", Closed, "zoom"},
		{"https://meet.google.com/abc-defg-hij", Closed, "google-meet"},
		{"https://teams.microsoft.com/l/meetup-join/19%3ameeting_X%40thread.v2/0", Closed, "teams"},
		{"msteams:/l/meetup-join/19%3ameeting", Closed, "teams"},
		{"https://meeting.dingtalk.com/j/abcd1234", Closed, "dingtalk"},
		{"dingtalk://dingtalkclient/page/videoconf", Closed, "dingtalk"},
		{"https://voovmeeting.com/dm/ABCD", Closed, "voov"},
		{"https://meeting.tencent.com/dm/ABCD", Closed, "voov"},
		{"wemeet://page/inmeeting?meeting_code=123", Closed, "voov"},
		{"https://meet.jit.si/MyStandup", Unsupported, "jitsi"},
		{"jitsi-meet://meet.jit.si/MyStandup", Unsupported, "jitsi"},
		{"https://call.element.io/room/#/standup:example.org?roomId=!abc&password=x", Unsupported, "element-call"},
		{"https://janus.example.org/demos/videoroomtest.html?room=1234", Unsupported, "janus"},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got.Kind != tt.kind || got.Service != tt.service || got.URL == "" {
			t.Errorf("Parse(%q) = %+v, want kind %d service %s", tt.in, got, tt.kind, tt.service)
		}
		if got.KaigiURL() != "" {
			t.Errorf("%q: a link Kaigi cannot join got a kaigi: form", tt.in)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in   string
		want Reason
	}{
		{"", Empty},
		{" \t\n ", Empty},
		{"\x00\x01\u200b", Empty},
		{strings.Repeat("a", MaxLen+1), TooLong},
		{"hello, are we meeting today?", NotALink},
		{"12345", NotALink},
		{"ftp://files.example.org/x", BadScheme},
		{"mailto:someone@example.org", NotALink},
		{"javascript://alert(1)", BadScheme},
		{"file:///etc/passwd", BadScheme},
		{"https://example.org/about", NotAMeeting},
		{"https://example.org/", NotAMeeting},
		{"https:///group/x/", Malformed},
		{"https://exa mple.org/group/x/", NotAMeeting}, // the link ends at the space
		{"https://example.org:99999/group/x/", Malformed},
		{"https://example.org/group/", BadGroup},
		{"https://example.org/group/../etc/", BadGroup},
		{"https://example.org/group/a/./b/", BadGroup},
		{"https://example.org/group/.hidden/", BadGroup},
		{"https://example.org/group/a//b/", BadGroup},
		{"0./rooms/.#", Malformed},
		{"https://" + strings.Repeat("x", 64) + ".example/group/x/", Malformed},
		{"https://会議" + strings.Repeat("x", 300) + "/group/x/", Malformed},
		{"https://example.org/rooms/../", Malformed},
		{"https://example.org/group/x/#sha256=zz", BadPin},
		{"https://example.org/group/x/#sha256=" + pin + "&e2ee=short", BadPin},
		{"https://example.org/group/x/#e2ee=" + key[:20] + "*" + key[21:], BadPin},
		{"https://meet.livekit.io/custom?liveKitUrl=wss%3A%2F%2Fh", NoToken},
		{"wss://lk.example.org", NoToken},
		{"https://meet.livekit.io/custom?liveKitUrl=ftp%3A%2F%2Fh&token=x", Malformed},
		{"kaigi://join", Malformed},
		{"kaigi://join?link=kaigi%3A%2F%2Fjoin%3Flink%3Dx", Malformed},
		{"kaigi://join?link=https%3A%2F%2Fzoom.us%2Fj%2F1", NotAMeeting},
		{"https://%zz/group/x/", Malformed},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("Parse(%q): err %v, want reason %d", tt.in, err, tt.want)
			continue
		}
		if e.Reason != tt.want {
			t.Errorf("Parse(%q): reason %d (%v), want %d", tt.in, e.Reason, e, tt.want)
		}
		if len(e.Text) > maxShown+len("…") || !utf8.ValidString(e.Text) {
			t.Errorf("Parse(%q): error text not capped or not UTF-8: %q", tt.in, e.Text)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"https://galene.example.org/group/staff/?token=x#sha256=" + pin,
		"https://galene.example.org/group/staff/?token=x#sha256=" + pin + "&e2ee=" + key,
		"https://meet.livekit.io/custom?liveKitUrl=wss%3A%2F%2Fh&token=t#p",
		"https://meet.livekit.io/rooms/r",
		"kaigi://join?link=https%3A%2F%2Fh%2Fgroup%2Fg%2F",
		"kaigi:https://h/group/g/",
		"wss://h?token=t",
		"https://[::1]:8443/group/x/",
		"zoommtg://zoom.us/join?confno=1",
		"see https://meet.jit.si/x.",
		"\x00https://h/group/\u202e/",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		l1, err1 := Parse(in)
		l2, err2 := Parse(in)
		if l1 != l2 || (err1 == nil) != (err2 == nil) {
			t.Fatalf("not deterministic for %q", in)
		}
		if err1 != nil {
			var e *Error
			if !errors.As(err1, &e) || e.Reason == 0 {
				t.Fatalf("untyped error for %q: %v", in, err1)
			}
			return
		}
		if l1.Kind == 0 || l1.URL == "" {
			t.Fatalf("empty result for %q: %+v", in, l1)
		}
		if l1.Joinable() {
			back, err := Parse(l1.KaigiURL())
			if err != nil || back != l1 {
				t.Fatalf("round trip of %q: %+v -> %q -> %+v, %v", in, l1, l1.KaigiURL(), back, err)
			}
			again, err := Parse(l1.URL)
			if err != nil || again != l1 {
				t.Fatalf("URL of %q does not parse to itself: %+v vs %+v, %v", in, l1, again, err)
			}
		}
	})
}

func TestWithKey(t *testing.T) {
	k := make([]byte, KeySize)
	for i := range k {
		k[i] = byte(i)
	}
	for _, invite := range []string{
		"https://192.168.1.20:8443/group/kaigi-7f3a/?token=t0k#sha256=" + pin,
		"http://127.0.0.1:8080/group/k/?token=t",
	} {
		l, err := Parse(WithKey(invite, k))
		if err != nil || l.Key != key {
			t.Errorf("Parse(WithKey(%q)) = %+v, %v", invite, l, err)
		}
		if strings.Contains(invite, "sha256") && l.Pin != pin {
			t.Errorf("WithKey(%q) lost the pin: %+v", invite, l)
		}
	}
}
