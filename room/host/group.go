package host

import (
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"slices"
	"sync"

	"kaigi/room/wire"
)

// maxHistory bounds the chat a group keeps for people who join later.
const maxHistory = 200

// group is one meeting: its members, its chat history, its up streams.
type group struct {
	host  *Host
	name  string
	token string
	// opToken admits the host: whoever joins with it may run the
	// meeting (permission "op"), and may make others co-hosts.
	opToken string

	mu      sync.Mutex
	clients map[string]*client
	history []wire.Message
	ended   bool
	locked  bool // nobody new may join, except with opToken
}

func newGroup(h *Host, name, token, opToken string) *group {
	return &group{host: h, name: name, token: token, opToken: opToken, clients: map[string]*client{}}
}

func (g *group) tokenOK(t string) bool {
	return t != "" && subtle.ConstantTimeCompare([]byte(t), []byte(g.token)) == 1
}

func (g *group) opTokenOK(t string) bool {
	return t != "" && subtle.ConstantTimeCompare([]byte(t), []byte(g.opToken)) == 1
}

// add makes c a member: c hears joined (its reply to the join), who is
// there and the chat so far, and everyone learns of c. It says false, and
// sends nothing, if c may not join after all.
func (g *group) add(c *client, joined wire.Message) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.ended {
		return false
	}
	if _, dup := g.clients[c.id]; dup {
		return false
	}
	if g.locked && !c.isOp() {
		return false
	}
	c.send(joined)
	self := c.userMessage("add")
	for _, o := range g.clients {
		c.send(o.userMessage("add"))
		o.send(self)
	}
	g.clients[c.id] = c
	c.send(self)
	for _, m := range g.history {
		m.Type = "chathistory"
		c.send(m)
	}
	return true
}

// remove drops c and tells the others.
func (g *group) remove(c *client) {
	g.mu.Lock()
	if g.clients[c.id] != c {
		g.mu.Unlock()
		return
	}
	delete(g.clients, c.id)
	others := g.members()
	g.mu.Unlock()
	for _, o := range others {
		o.send(wire.Message{Type: "user", Kind: "delete", ID: c.id})
		o.dropStreamsFrom(c.id)
	}
}

// members lists the clients (g.mu held).
func (g *group) members() []*client {
	out := make([]*client, 0, len(g.clients))
	for _, c := range g.clients {
		out = append(out, c)
	}
	return out
}

func (g *group) others(c *client) []*client {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []*client
	for _, o := range g.clients {
		if o != c {
			out = append(out, o)
		}
	}
	return out
}

func (g *group) member(id string) *client {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.clients[id]
}

// chat delivers a chat message and keeps it in the history when it is
// for everyone.
func (g *group) chat(from *client, m wire.Message) {
	g.mu.Lock()
	if m.Dest == "" {
		g.history = append(g.history, m)
		if len(g.history) > maxHistory {
			g.history = g.history[len(g.history)-maxHistory:]
		}
	}
	targets := g.members()
	g.mu.Unlock()
	for _, o := range targets {
		if m.Dest != "" && o.id != m.Dest {
			continue
		}
		if o == from && m.NoEcho {
			continue
		}
		o.send(m)
	}
}

// broadcast sends m to every member.
func (g *group) broadcast(m wire.Message) {
	g.mu.Lock()
	targets := g.members()
	g.mu.Unlock()
	for _, o := range targets {
		o.send(m)
	}
}

// end tells everyone the meeting is over and closes their connections.
func (g *group) end(why string) {
	g.mu.Lock()
	g.ended = true
	targets := g.members()
	g.mu.Unlock()
	for _, c := range targets {
		c.send(wire.Message{Type: "usermessage", Kind: "kicked", Value: jsonString(why)})
		c.closeAfterFlush()
	}
}

func jsonString(s string) json.RawMessage {
	b, _ := json.Marshal(s)
	return b
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache")
	_ = json.NewEncoder(w).Encode(v)
}

// userMessage is the "user" message that tells others of c: its name,
// permissions and data.
func (c *client) userMessage(kind string) wire.Message {
	username := c.username
	c.mu.Lock()
	defer c.mu.Unlock()
	data := make(map[string]any, len(c.data))
	for k, v := range c.data {
		data[k] = v
	}
	if len(data) == 0 {
		data = nil
	}
	return wire.Message{Type: "user", Kind: kind, ID: c.id, Username: &username, Permissions: slices.Clone(c.perms), Data: data}
}
