package host

import "kaigi/room/wire"

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
		c.handleGroupAction(m)
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
