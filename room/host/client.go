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

	// Set once joined; read-only afterwards.
	id       string
	username string
	group    *group

	mu        sync.Mutex
	perms     []string // "present", and "op" for the host and co-hosts
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
	// Counted under the lock Close takes before it waits: a connection
	// upgraded while the host closes is refused, not added to a wait
	// group already waited on (the race detector caught that Add).
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		c.stop()
		conn.Close()
		return
	}
	h.wg.Add(2)
	h.mu.Unlock()
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
	handshaken, refused := false, false
	// refuse tells the client why and closes the connection once that is
	// written; reading goes on (and ignores what comes) until the client's
	// close frame. Returning at once stopped the writer, which then often
	// closed the socket before writing why (1006 at the client).
	refuse := func(text string) {
		c.fail("error", text)
		c.closeAfterFlush()
		refused = true
	}
	for {
		_ = c.conn.SetReadDeadline(deadline)
		var m wire.Message
		_, data, err := c.conn.ReadMessage()
		if err != nil {
			return
		}
		if refused {
			continue
		}
		if err := json.Unmarshal(data, &m); err != nil {
			c.fail("error", "malformed message")
			continue
		}
		if !handshaken {
			if m.Type != "handshake" {
				refuse("the first message must be a handshake")
				continue
			}
			if !supports(m.Version) {
				refuse("protocol version 2 is required")
				continue
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
