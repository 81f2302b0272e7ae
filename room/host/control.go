package host

import (
	"encoding/json"
	"slices"

	"kaigi/room/wire"
)

// The host's controls, as Galène's protocol carries them: an operator (a
// client that joined with the group's host token, or one an operator made
// a co-host with useraction "op") may remove someone (useraction "kick"),
// make or unmake co-hosts ("op", "unop"), mute someone (usermessage
// "mute", relay.go), and lock the group (groupaction "lock", "unlock").
// Everyone else is refused, whatever they send.

// lockedText is why a join fails while the group is locked (Galène's
// words).
const lockedText = "this group is locked"

// kickedText is what someone removed hears when the operator gave no
// reason.
const kickedText = "you have been removed from the meeting"

func (c *client) isOp() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Contains(c.perms, "op")
}

func (g *group) isLocked() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.locked
}

// handleUserAction acts on a member: setdata on oneself for anyone, the
// rest for operators only.
func (c *client) handleUserAction(m wire.Message) {
	if m.Kind == "setdata" {
		c.setData(m)
		return
	}
	if !c.isOp() {
		c.fail("error", "not authorised")
		return
	}
	d := c.group.member(m.Dest)
	switch m.Kind {
	case "op", "unop", "kick":
	case "present", "unpresent":
		c.fail("error", "not supported")
		return
	default:
		c.fail("error", "unknown user action")
		return
	}
	if d == nil {
		c.fail("error", "no such user")
		return
	}
	switch m.Kind {
	case "op", "unop":
		d.setOp(m.Kind == "op")
	case "kick":
		why := kickedText
		var s string
		if json.Unmarshal(m.Value, &s) == nil && s != "" {
			why = s
		}
		username := c.username
		d.send(wire.Message{Type: "usermessage", Kind: "kicked", ID: c.id, Username: &username, Dest: d.id,
			Privileged: true, Value: jsonString(why)})
		d.closeAfterFlush()
	}
}

// setOp gives or takes away the operator's permission: the member hears
// its new permissions (joined, kind change), everyone else a user change.
func (c *client) setOp(on bool) {
	c.mu.Lock()
	c.perms = slices.DeleteFunc(c.perms, func(p string) bool { return p == "op" })
	if on {
		c.perms = append([]string{"op"}, c.perms...)
	}
	c.mu.Unlock()
	c.sendJoinedChange()
	c.group.broadcast(c.userMessage("change"))
}

// sendJoinedChange tells c its permissions and the group's status anew.
func (c *client) sendJoinedChange() {
	g := c.group
	st, _ := json.Marshal(c.host.status(g))
	username := c.username
	c.mu.Lock()
	perms := slices.Clone(c.perms)
	c.mu.Unlock()
	c.send(wire.Message{Type: "joined", Kind: "change", Group: g.name, Username: &username, Permissions: perms, Status: st,
		RTCConfiguration: json.RawMessage(`{"iceServers":[]}`)})
}

// handleGroupAction acts on the whole group; only operators may.
func (c *client) handleGroupAction(m wire.Message) {
	if !c.isOp() {
		c.fail("error", "not authorised")
		return
	}
	g := c.group
	switch m.Kind {
	case "lock", "unlock":
		g.mu.Lock()
		g.locked = m.Kind == "lock"
		members := g.members()
		g.mu.Unlock()
		for _, o := range members {
			o.sendJoinedChange()
		}
	case "clearchat":
		g.mu.Lock()
		g.history = nil
		g.mu.Unlock()
		g.broadcast(wire.Message{Type: "usermessage", Kind: "clearchat", Privileged: true})
	default:
		c.fail("error", "not supported")
	}
}
