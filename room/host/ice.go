package host

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pion/webrtc/v4"

	"kaigi/room/wire"
)

func (c *client) sendICE(id string, cand *webrtc.ICECandidate) {
	init := cand.ToJSON()
	data, err := json.Marshal(init)
	if err != nil {
		return
	}
	c.send(wire.Message{Type: "ice", ID: id, Candidate: data})
}

func (c *client) handleICE(m wire.Message) {
	var cand webrtc.ICECandidateInit
	if json.Unmarshal(m.Candidate, &cand) != nil || strings.TrimSpace(cand.Candidate) == "" {
		return // end of candidates, or nothing usable
	}
	c.mu.Lock()
	up, d := c.up[m.ID], c.down[m.ID]
	c.mu.Unlock()
	switch {
	case up != nil:
		up.addCandidate(cand)
	case d != nil:
		d.ice.Add(d.pc, cand)
	default:
		c.fail("error", fmt.Sprintf("ICE candidate for an unknown stream %q", truncate(m.ID, 40)))
	}
}
