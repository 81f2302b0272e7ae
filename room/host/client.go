package host

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"kaigi/room/wire"
)

// Limits that keep one client from hurting the others.
const (
	maxMessage   = 1 << 20 // bytes in one WebSocket message
	outQueue     = 512     // messages waiting for a slow client
	pingInterval = 25 * time.Second
	writeTimeout = 10 * time.Second
	maxStreams   = 8 // up streams one client may hold
)

// Timeouts for clients that stop talking (variables so tests can shorten
// them).
var (
	handshakeTimeout = 10 * time.Second
	joinTimeout      = 30 * time.Second
	idleTimeout      = 75 * time.Second // no message at all (pings are answered)
)

var upgrader = websocket.Upgrader{
	ReadBufferSize:  4096,
	WriteBufferSize: 4096,
	// The protocol carries its own authorisation (the group token); any
	// origin may connect, as with Galène.
	CheckOrigin: func(*http.Request) bool { return true },
}

// client is one WebSocket connection.
type client struct {
	host  *Host
	conn  *websocket.Conn
	out   chan wire.Message
	ctx   context.Context
	stop  context.CancelFunc
	flush chan struct{} // closed: close once the queue is written
	read  chan struct{} // closed when readLoop has ended

	flushOnce sync.Once

	// Set once joined; read-only afterwards except data.
	id       string
	username string
	perms    []string
	group    *group

	mu        sync.Mutex
	data      map[string]any
	requested bool
	up        map[string]*upStream
	down      map[string]*downStream
}

func (h *Host) serveWS(w http.ResponseWriter, r *http.Request) {
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &client{host: h, conn: conn, out: make(chan wire.Message, outQueue), flush: make(chan struct{}), read: make(chan struct{}),
		up: map[string]*upStream{}, down: map[string]*downStream{}}
	c.ctx, c.stop = context.WithCancel(h.ctx)
	h.wg.Add(2)
	go func() { defer h.wg.Done(); c.writeLoop() }()
	go func() { defer h.wg.Done(); c.readLoop() }()
}

// send queues a message; a client too slow to take its messages is
// disconnected rather than allowed to hold the group up.
func (c *client) send(m wire.Message) {
	select {
	case c.out <- m:
	case <-c.ctx.Done():
	default:
		c.stop()
	}
}

func (c *client) fail(kind, text string) {
	c.send(wire.Message{Type: "usermessage", Kind: kind, Value: jsonString(text)})
}

func (c *client) closeAfterFlush() { c.flushOnce.Do(func() { close(c.flush) }) }

func (c *client) writeLoop() {
	defer c.conn.Close()
	ping := time.NewTicker(pingInterval)
	defer ping.Stop()
	write := func(m wire.Message) bool {
		_ = c.conn.SetWriteDeadline(time.Now().Add(writeTimeout))
		return c.conn.WriteJSON(m) == nil
	}
	for {
		select {
		case m := <-c.out:
			if !write(m) {
				c.stop()
				return
			}
		case <-ping.C:
			if !write(wire.Message{Type: "ping"}) {
				c.stop()
				return
			}
		case <-c.flush:
			for {
				select {
				case m := <-c.out:
					if !write(m) {
						c.stop()
						return
					}
				default:
					c.closeGracefully()
					return
				}
			}
		case <-c.ctx.Done():
			return
		}
	}
}

// closeGracefully ends the connection with a close frame and waits (a
// little) for the client's: closing the socket at once, while the client
// is still sending, resets the connection, and the client may lose the
// last messages (why the meeting ended) before reading them.
func (c *client) closeGracefully() {
	_ = c.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""),
		time.Now().Add(writeTimeout))
	select {
	case <-c.read:
	case <-time.After(closeWait):
	}
	c.stop()
}

// closeWait bounds how long a closing connection waits for the client's
// close frame.
const closeWait = time.Second

func (c *client) readLoop() {
	defer close(c.read)
	defer c.leave()
	c.conn.SetReadLimit(maxMessage)
	go func() {
		<-c.ctx.Done()
		_ = c.conn.SetReadDeadline(time.Now())
	}()
	deadline := time.Now().Add(handshakeTimeout)
	handshaken := false
	for {
		_ = c.conn.SetReadDeadline(deadline)
		var m wire.Message
		_, data, err := c.conn.ReadMessage()
		if err != nil {
			return
		}
		if err := json.Unmarshal(data, &m); err != nil {
			c.fail("error", "malformed message")
			continue
		}
		if !handshaken {
			if m.Type != "handshake" {
				c.fail("error", "the first message must be a handshake")
				return
			}
			if !supports(m.Version) {
				c.fail("error", "protocol version 2 is required")
				return
			}
			handshaken = true
			c.id = m.ID
			c.send(wire.Message{Type: "handshake", Version: []string{"2"}})
			deadline = time.Now().Add(joinTimeout)
			continue
		}
		if c.group != nil {
			deadline = time.Now().Add(idleTimeout)
		}
		if !c.handle(m) {
			return
		}
	}
}

func supports(versions []string) bool {
	for _, v := range versions {
		if v == "2" {
			return true
		}
	}
	return false
}

// handle acts on one message; false ends the connection.
func (c *client) handle(m wire.Message) bool {
	switch m.Type {
	case "ping":
		c.send(wire.Message{Type: "pong"})
		return true
	case "pong", "handshake":
		return true
	case "join":
		return c.handleJoin(m)
	}
	if c.group == nil {
		c.fail("error", "join a group first")
		return true
	}
	switch m.Type {
	case "request":
		c.handleRequest(m)
	case "offer":
		c.handleOffer(m)
	case "answer":
		c.handleAnswer(m)
	case "ice":
		c.handleICE(m)
	case "close":
		c.closeUp(m.ID)
	case "abort":
		c.closeDown(m.ID, true)
	case "requestStream":
		c.handleRequestStream(m)
	case "renegotiate":
		// Up streams renegotiate when the client re-offers; nothing to do.
	case "chat":
		c.handleChat(m)
	case "usermessage":
		c.handleUserMessage(m)
	case "useraction":
		c.handleUserAction(m)
	case "groupaction":
		c.fail("error", "not authorised")
	default:
		c.fail("warning", "unknown message type "+truncate(m.Type, 40))
	}
	return true
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

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
	case !g.tokenOK(m.Token):
		reply.Kind, reply.Error, reply.Value = "fail", "not-authorised", jsonString("not authorised")
	case m.Username == nil || *m.Username == "" || len(*m.Username) > 256:
		reply.Kind, reply.Error, reply.Value = "fail", "not-authorised", jsonString("a username is needed")
	}
	if reply.Kind == "fail" {
		c.send(reply)
		c.closeAfterFlush()
		return true
	}
	c.username, c.perms, c.group = *m.Username, []string{"present"}, g
	if m.Data != nil {
		c.data = m.Data
	}
	reply.Kind, reply.Username, reply.Permissions = "join", m.Username, c.perms
	st, _ := json.Marshal(c.host.status(g))
	reply.Status = st
	reply.RTCConfiguration = json.RawMessage(`{"iceServers":[]}`)
	c.send(reply)
	if !g.add(c) {
		c.group = nil
		c.send(wire.Message{Type: "joined", Kind: "fail", Group: m.Group, Error: "duplicate-id", Value: jsonString("this client id is already in the group")})
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

// leave ends the connection: streams closed, the group told.
func (c *client) leave() {
	c.stop()
	if c.group != nil {
		c.group.remove(c)
	}
	c.mu.Lock()
	ups, downs := c.up, c.down
	c.up, c.down = map[string]*upStream{}, map[string]*downStream{}
	c.mu.Unlock()
	for _, u := range ups {
		u.close()
	}
	for _, d := range downs {
		d.close()
	}
}
