package host

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"kaigi/room/wire"
)

// joinAs joins group g with a token, returning the joined reply.
func (c *wsClient) joinAs(id, name, token string) wire.Message {
	c.send(wire.Message{Type: "handshake", Version: []string{"2"}, ID: id})
	c.expect("handshake", "")
	c.send(wire.Message{Type: "join", Kind: "join", Group: "g", Username: &name, Token: token})
	return c.expect("joined", "")
}

// quiet says whether no message of that type and kind arrives within d.
func (c *wsClient) quiet(typ, kind string, d time.Duration) bool {
	_ = c.conn.SetReadDeadline(time.Now().Add(d))
	for {
		var m wire.Message
		if err := c.conn.ReadJSON(&m); err != nil {
			return true
		}
		if m.Type == typ && (kind == "" || m.Kind == kind) {
			return false
		}
	}
}

// TestControlsRefusedToMembers: a member (the invite's token) sends every
// operator action Galène's protocol has, as a hostile client would. Each
// is refused, and nobody is muted, removed or locked out.
func TestControlsRefusedToMembers(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	h, l := start(t)
	t.Cleanup(func() { h.Close() })

	good := connect(t, h)
	if m := good.joinAs("good", "Good", l.Token); m.Kind != "join" || slices.Contains(m.Permissions, "op") {
		t.Fatalf("member joined as %+v", m)
	}
	bad := connect(t, h)
	bad.joinAs("bad", "Bad", l.Token)
	good.expect("user", "add")

	name := "Bad"
	for _, m := range []wire.Message{
		{Type: "usermessage", Kind: "mute", Dest: "good"},
		{Type: "usermessage", Kind: "mute", Dest: "good", Privileged: true},
		{Type: "usermessage", Kind: "kicked", Dest: "good", Value: jsonString("bye")},
		{Type: "usermessage", Kind: "clearchat", Dest: "good"},
		{Type: "usermessage", Kind: "error", Dest: "good", Value: jsonString("fake")},
		{Type: "useraction", Kind: "kick", Dest: "good"},
		{Type: "useraction", Kind: "op", Dest: "bad"},
		{Type: "useraction", Kind: "op", Dest: "good"},
		{Type: "useraction", Kind: "unop", Dest: "good"},
		{Type: "useraction", Kind: "setdata", Dest: "good", Value: json.RawMessage(`{"raisehand":true}`)},
		{Type: "groupaction", Kind: "lock", Value: jsonString("mine now")},
		{Type: "groupaction", Kind: "unlock"},
		{Type: "groupaction", Kind: "clearchat"},
		{Type: "groupaction", Kind: "record"},
		{Type: "usermessage", Kind: "kaigi.reaction", Source: "good", Username: &name, Value: jsonString("👍")},
	} {
		bad.send(m)
		if r := bad.expect("usermessage", "error"); len(r.Value) == 0 {
			t.Errorf("%s %s refused without a word", m.Type, m.Kind)
		}
	}
	if !good.quiet("usermessage", "", 300*time.Millisecond) {
		t.Error("a refused message reached its target")
	}
	// Still a member of an unlocked group.
	late := connect(t, h)
	if m := late.joinAs("late", "Late", l.Token); m.Kind != "join" {
		t.Errorf("the group was locked by a member: %+v", m)
	}
}

// TestHostControls: the host (its host token) mutes, makes a co-host,
// locks, removes and unlocks; what members see and who may join.
func TestHostControls(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	h, l := start(t)
	t.Cleanup(func() { h.Close() })
	hostToken := h.HostToken("g")
	if hostToken == "" || hostToken == l.Token {
		t.Fatal("no separate host token")
	}
	if inv, _ := h.InviteLink("g"); strings.Contains(inv, hostToken) {
		t.Fatal("the invite link carries the host token")
	}

	op := connect(t, h)
	if m := op.joinAs("op", "Host", hostToken); m.Kind != "join" || !slices.Contains(m.Permissions, "op") {
		t.Fatalf("host joined as %+v", m)
	}
	alice := connect(t, h)
	alice.joinAs("alice", "Alice", l.Token)
	if m := alice.expect("user", "add"); m.ID == "op" && !slices.Contains(m.Permissions, "op") {
		t.Errorf("members do not see the host's permissions: %+v", m)
	}
	bob := connect(t, h)
	bob.joinAs("bob", "Bob", l.Token)

	// Mute: the target hears it from the host, privileged.
	op.send(wire.Message{Type: "usermessage", Kind: "mute", Dest: "alice"})
	if m := alice.expect("usermessage", "mute"); !m.Privileged || m.Source != "op" || m.Username == nil || *m.Username != "Host" {
		t.Errorf("mute arrived as %+v", m)
	}

	// A co-host may do what the host does.
	op.send(wire.Message{Type: "useraction", Kind: "op", Dest: "alice"})
	if m := alice.expect("joined", "change"); !slices.Contains(m.Permissions, "op") {
		t.Errorf("co-host's permissions: %+v", m)
	}
	if m := bob.expect("user", "change"); m.ID != "alice" || !slices.Contains(m.Permissions, "op") {
		t.Errorf("others see the co-host as %+v", m)
	}

	// Lock: everyone hears the status; a newcomer is told the group is
	// locked; the host's token still gets in.
	alice.send(wire.Message{Type: "groupaction", Kind: "lock"})
	var st wire.Status
	if m := bob.expect("joined", "change"); json.Unmarshal(m.Status, &st) != nil || !st.Locked {
		t.Errorf("lock status: %s", m.Status)
	}
	resp, err := http.Get(l.GroupURL + ".status")
	if err == nil {
		_ = json.NewDecoder(resp.Body).Decode(&st)
		resp.Body.Close()
	}
	if !st.Locked {
		t.Error(".status does not say locked")
	}
	late := connect(t, h)
	if m := late.joinAs("late", "Late", l.Token); m.Kind != "fail" || !strings.Contains(string(m.Value), "locked") {
		t.Errorf("joining a locked group: %+v", m)
	}
	if !late.closed(2 * time.Second) {
		t.Error("a refused joiner stayed connected")
	}
	op2 := connect(t, h)
	if m := op2.joinAs("op2", "Host again", hostToken); m.Kind != "join" {
		t.Errorf("the host was locked out: %+v", m)
	}

	// Remove: Bob hears who removed him, then the connection closes, and
	// the others see him go.
	alice.send(wire.Message{Type: "useraction", Kind: "kick", Dest: "bob"})
	if m := bob.expect("usermessage", "kicked"); !m.Privileged || m.Username == nil || *m.Username != "Alice" {
		t.Errorf("kicked as %+v", m)
	}
	if !bob.closed(3 * time.Second) {
		t.Error("a removed member stayed connected")
	}
	for {
		if m := op.expect("user", "delete"); m.ID == "bob" {
			break
		}
	}

	// No longer a co-host: refused again.
	op.send(wire.Message{Type: "useraction", Kind: "unop", Dest: "alice"})
	for slices.Contains(alice.expect("joined", "change").Permissions, "op") {
	}
	alice.send(wire.Message{Type: "groupaction", Kind: "unlock"})
	alice.expect("usermessage", "error")

	op.send(wire.Message{Type: "groupaction", Kind: "unlock"})
	again := connect(t, h)
	if m := again.joinAs("again", "Again", l.Token); m.Kind != "join" {
		t.Errorf("after unlock: %+v", m)
	}
}

// TestReactionsBroadcast: a user message without a destination (a
// reaction) goes to everyone, not back to a sender that asked for no echo.
func TestReactionsBroadcast(t *testing.T) {
	h, l := start(t)
	t.Cleanup(func() { h.Close() })
	a := connect(t, h)
	a.joinAs("a", "A", l.Token)
	b := connect(t, h)
	b.joinAs("b", "B", l.Token)
	a.send(wire.Message{Type: "usermessage", Kind: "kaigi.reaction", NoEcho: true, Value: jsonString("🎉")})
	if m := b.expect("usermessage", "kaigi.reaction"); m.Source != "a" || m.Privileged || string(m.Value) != `"🎉"` {
		t.Errorf("reaction arrived as %+v", m)
	}
	if !a.quiet("usermessage", "kaigi.reaction", 300*time.Millisecond) {
		t.Error("echoed despite noecho")
	}
}
