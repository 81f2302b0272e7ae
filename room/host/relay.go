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
	out := wire.Message{Type: "chat", Kind: m.Kind, Source: c.id, Username: &username, Dest: m.Dest, Privileged: c.isOp(),
		Time: time.Now().UTC().Format(time.RFC3339Nano), NoEcho: m.NoEcho, Value: m.Value}
	c.group.chat(c, out)
}

// handleUserMessage passes a user message on, to its destination or (with
// none) to everyone. The kinds that act on the receiver (mute, kicked,
// clearchat) only an operator may send; the receiver sees that it did
// from privileged, which only the host sets.
func (c *client) handleUserMessage(m wire.Message) {
	op := c.isOp()
	switch m.Kind {
	case "kicked", "clearchat", "mute", "error", "warning", "info":
		if !op {
			c.fail("error", "not authorised")
			return
		}
	}
	if (m.Source != "" && m.Source != c.id) || (m.Username != nil && *m.Username != c.username) {
		c.fail("error", "a user message must come from its sender")
		return
	}
	username := c.username
	out := wire.Message{Type: "usermessage", Kind: m.Kind, Source: c.id, Username: &username, Dest: m.Dest,
		Privileged: op, Time: time.Now().UTC().Format(time.RFC3339Nano), NoEcho: m.NoEcho, Value: m.Value}
	if m.Dest != "" {
		if d := c.group.member(m.Dest); d != nil {
			d.send(out)
		}
		return
	}
	for _, o := range c.group.others(nil) {
		if o != c || !m.NoEcho {
			o.send(out)
		}
	}
}

// setData merges what a client says of itself into its user data (null
// deletes a key) and tells everyone: how clients share their status
// (Kaigi: microphone and camera muted; Galène's and Kaigi's clients: a
// raised hand).
func (c *client) setData(m wire.Message) {
	if m.Dest != "" && m.Dest != c.id {
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
	c.mu.Unlock()
	c.group.broadcast(c.userMessage("change"))
}
