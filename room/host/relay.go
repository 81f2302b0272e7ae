package host

import (
	"encoding/json"
	"time"

	"kaigi/room/wire"
)

func (c *client) handleChat(m wire.Message) {
	if (m.Source != "" && m.Source != c.id) || (m.Username != nil && *m.Username != c.username) {
		c.fail("error", "chat must come from its sender")
		return
	}
	if len(m.Value) == 0 {
		return
	}
	username := c.username
	out := wire.Message{Type: "chat", Kind: m.Kind, Source: c.id, Username: &username, Dest: m.Dest,
		Time: time.Now().UTC().Format(time.RFC3339Nano), NoEcho: m.NoEcho, Value: m.Value}
	c.group.chat(c, out)
}

func (c *client) handleUserMessage(m wire.Message) {
	if m.Dest == "" {
		c.fail("error", "a user message needs a destination")
		return
	}
	d := c.group.member(m.Dest)
	if d == nil {
		return
	}
	switch m.Kind {
	case "kicked", "clearchat", "mute":
		c.fail("error", "not authorised")
		return
	}
	username := c.username
	d.send(wire.Message{Type: "usermessage", Kind: m.Kind, Source: c.id, Username: &username, Dest: m.Dest, Value: m.Value})
}

// handleUserAction allows only setdata on oneself: how clients share their
// status (Kaigi: microphone and camera muted).
func (c *client) handleUserAction(m wire.Message) {
	if m.Kind != "setdata" || (m.Dest != "" && m.Dest != c.id) {
		c.fail("error", "not authorised")
		return
	}
	var data map[string]any
	if len(m.Value) > 0 && json.Unmarshal(m.Value, &data) != nil {
		c.fail("error", "malformed data")
		return
	}
	c.mu.Lock()
	if c.data == nil {
		c.data = map[string]any{}
	}
	for k, v := range data {
		if v == nil {
			delete(c.data, k)
		} else {
			c.data[k] = v
		}
	}
	snapshot := make(map[string]any, len(c.data))
	for k, v := range c.data {
		snapshot[k] = v
	}
	c.mu.Unlock()
	username := c.username
	c.group.broadcast(wire.Message{Type: "user", Kind: "change", ID: c.id, Username: &username, Permissions: c.perms, Data: snapshot})
}
