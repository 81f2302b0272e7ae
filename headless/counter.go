package headless

import (
	"context"
	"strings"
	"sync"
	"time"

	"kaigi/room"
)

// packetCounter takes every remote track and counts its sound packets and
// pictures (packets that end one), decoding nothing (--receive count).
type packetCounter struct {
	mu    sync.Mutex
	audio map[string]int
	video map[string]int
	first time.Time // the first picture's end
}

func newPacketCounter() *packetCounter {
	return &packetCounter{audio: map[string]int{}, video: map[string]int{}}
}

func (c *packetCounter) ReceiveTrack(ctx context.Context, id string, track room.RemoteTrack, _ func()) {
	video := strings.HasPrefix(strings.ToLower(track.Codec().MimeType), "video/")
	stop := context.AfterFunc(ctx, func() { _ = track.SetReadDeadline(time.Now()) })
	defer stop()
	for {
		p, _, err := track.ReadRTP()
		if err != nil {
			return
		}
		c.mu.Lock()
		switch {
		case !video:
			c.audio[id]++
		case p.Marker:
			c.video[id]++
			if c.first.IsZero() {
				c.first = time.Now()
			}
		}
		c.mu.Unlock()
	}
}

func (c *packetCounter) firstFrame() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.first
}

// fill puts the counts into the peers' results.
func (c *packetCounter) fill(peer func(id string) *Peer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for id, n := range c.audio {
		peer(id).AudioPackets = n
	}
	for id, n := range c.video {
		peer(id).VideoFrames = n
	}
}
