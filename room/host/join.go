package host

import (
	"encoding/json"
	"slices"

	"kaigi/room/wire"
)

func (c *client) handleJoin(m wire.Message) bool {
	switch m.Kind {
	case "leave":
		return false
	case "join":
	default:
		c.fail("error", "unknown join kind")
		return true
	}
	if c.group != nil {
		c.fail("error", "already joined")
		return true
	}
	reply := wire.Message{Type: "joined", Group: m.Group}
	g := c.host.group(m.Group)
	switch {
	case c.id == "":
		reply.Kind, reply.Error, reply.Value = "fail", "not-authorised", jsonString("a client id is needed to join")
	case g == nil:
		reply.Kind, reply.Error, reply.Value = "fail", "not-authorised", jsonString("no such group")
	case !g.tokenOK(m.Token) && !g.opTokenOK(m.Token):
		reply.Kind, reply.Error, reply.Value = "fail", "not-authorised", jsonString("not authorised")
	case m.Username == nil || *m.Username == "" || len(*m.Username) > 256:
		reply.Kind, reply.Error, reply.Value = "fail", "not-authorised", jsonString("a username is needed")
	}
	if reply.Kind == "fail" {
		c.send(reply)
		c.closeAfterFlush()
		return true
	}
	perms := []string{"present"}
	if g.opTokenOK(m.Token) {
		perms = []string{"op", "present"}
	}
	if g.isLocked() && !slices.Contains(perms, "op") {
		// As Galène says it; the client tells its user the meeting is
		// locked.
		reply.Kind, reply.Value = "fail", jsonString(lockedText)
		c.send(reply)
		c.closeAfterFlush()
		return true
	}
	c.mu.Lock()
	c.username, c.perms, c.group = *m.Username, perms, g
	if m.Data != nil {
		c.data = m.Data
	}
	c.mu.Unlock()
	reply.Kind, reply.Username, reply.Permissions = "join", m.Username, slices.Clone(perms)
	st, _ := json.Marshal(c.host.status(g))
	reply.Status = st
	reply.RTCConfiguration = json.RawMessage(`{"iceServers":[]}`)
	// The reply goes out inside add, so that whoever hears "joined" is
	// already a member: what happens next in the group reaches it.
	if !g.add(c, reply) {
		c.mu.Lock()
		c.group = nil
		c.mu.Unlock()
		fail := wire.Message{Type: "joined", Kind: "fail", Group: m.Group, Error: "duplicate-id", Value: jsonString("this client id is already in the group")}
		if g.isLocked() {
			fail.Error, fail.Value = "", jsonString(lockedText) // locked since the check above
		}
		c.send(fail)
		c.closeAfterFlush()
	}
	return true
}

func (c *client) handleRequest(m wire.Message) {
	var req map[string][]string
	if len(m.Request) > 0 && json.Unmarshal(m.Request, &req) != nil {
		c.fail("error", "malformed request")
		return
	}
	wants := false
	for _, media := range req {
		for _, x := range media {
			if x == "audio" || x == "video" || x == "video-low" {
				wants = true
			}
		}
	}
	c.mu.Lock()
	was := c.requested
	c.requested = wants
	c.mu.Unlock()
	if wants && !was {
		for _, o := range c.group.others(c) {
			for _, up := range o.readyStreams() {
				c.offerDown(up)
			}
		}
	}
	if !wants && was {
		c.mu.Lock()
		ids := make([]string, 0, len(c.down))
		for id := range c.down {
			ids = append(ids, id)
		}
		c.mu.Unlock()
		for _, id := range ids {
			c.closeDown(id, false)
		}
	}
}
