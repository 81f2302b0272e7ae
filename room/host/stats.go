package host

import (
	"slices"
	"strings"

	"github.com/pion/webrtc/v4"
)

// Stats is what the host received from each sender and handed on to each
// receiver, counted in packets since each track began: make bench
// (bench/hosted.sh) reads it twice and compares, per receiver, what it
// was sent of each stream with what came in, which shows whether the
// host forwards all it should however busy it is.
type Stats struct {
	Up   []UpStats   `json:"up"`
	Down []DownStats `json:"down"`
}

// UpStats is one track a participant sends (one layer of a simulcast
// video).
type UpStats struct {
	Group    string `json:"group"`
	Sender   string `json:"sender"` // the sender's name
	Stream   string `json:"stream"` // the up stream's id
	Kind     string `json:"kind"`   // "audio" or "video"
	Layer    string `json:"layer"`  // the layer's rid ("" without layers)
	Received uint64 `json:"received"`
}

// DownStats is one track of one up stream as one receiver gets it.
type DownStats struct {
	Group     string `json:"group"`
	Receiver  string `json:"receiver"` // the receiver's name
	Stream    string `json:"stream"`   // the up stream's id
	Kind      string `json:"kind"`
	On        bool   `json:"on"`    // the receiver asks for it
	Layer     string `json:"layer"` // the layer it forwards now
	Want      string `json:"want"`  // the layer the receiver asked for
	Forwarded uint64 `json:"forwarded"`
	Failed    uint64 `json:"failed"` // handed on, and the connection refused it
}

// Stats counts every group's tracks now.
func (h *Host) Stats() Stats {
	h.mu.Lock()
	groups := make([]*group, 0, len(h.groups))
	for _, g := range h.groups {
		groups = append(groups, g)
	}
	h.mu.Unlock()
	var s Stats
	for _, g := range groups {
		g.mu.Lock()
		members := g.members()
		g.mu.Unlock()
		for _, c := range members {
			c.stats(g.name, &s)
		}
	}
	slices.SortFunc(s.Up, func(a, b UpStats) int {
		return strings.Compare(a.Sender+a.Stream+a.Kind+a.Layer, b.Sender+b.Stream+b.Kind+b.Layer)
	})
	slices.SortFunc(s.Down, func(a, b DownStats) int {
		return strings.Compare(a.Receiver+a.Stream+a.Kind, b.Receiver+b.Stream+b.Kind)
	})
	return s
}

// stats adds c's up and down tracks to s.
func (c *client) stats(group string, s *Stats) {
	c.mu.Lock()
	name := c.username
	ups := make([]*upStream, 0, len(c.up))
	for _, u := range c.up {
		ups = append(ups, u)
	}
	downs := make([]*downStream, 0, len(c.down))
	for _, d := range c.down {
		downs = append(downs, d)
	}
	c.mu.Unlock()
	for _, u := range ups {
		u.mu.Lock()
		tracks := slices.Clone(u.tracks)
		u.mu.Unlock()
		for _, t := range tracks {
			s.Up = append(s.Up, UpStats{Group: group, Sender: name, Stream: u.id, Kind: t.remote.Kind().String(),
				Layer: t.remote.RID(), Received: t.received.Load()})
		}
	}
	for _, d := range downs {
		for _, t := range d.tracks {
			t.mu.Lock()
			ds := DownStats{Group: group, Receiver: name, Stream: d.up.id, On: t.on,
				Layer: rid(t.cur), Want: rid(t.want), Forwarded: t.forwarded.Load(), Failed: t.failed.Load()}
			t.mu.Unlock()
			ds.Kind = webrtc.RTPCodecTypeAudio.String()
			if t.video {
				ds.Kind = webrtc.RTPCodecTypeVideo.String()
			}
			s.Down = append(s.Down, ds)
		}
	}
}

func rid(t *upTrack) string {
	if t == nil {
		return ""
	}
	return t.remote.RID()
}
