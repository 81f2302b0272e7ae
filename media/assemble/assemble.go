// Package assemble puts a track's RTP packets back together into samples
// (whole pictures, whole sound frames): in sequence order, waiting a
// little for late packets, and saying how many were lost before each.
//
// It does the job of pion's samplebuilder in a window of its own size:
// pion's keeps an array of 65536 packet pointers (512 KB) per track,
// whatever the window, and a large meeting receives dozens of tracks.
package assemble

import (
	"time"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4/pkg/media"
)

// Assembler builds samples of one track. Not safe for concurrent use.
type Assembler struct {
	depack  rtp.Depacketizer
	rate    uint32 // RTP clock, Hz
	maxWait uint32 // in RTP clock ticks: how long a gap is waited for
	slots   []*rtp.Packet
	mask    uint16

	started bool
	next    uint16 // the sequence number the next sample starts at
	held    int    // packets in slots
	newest  uint32 // the highest timestamp pushed
	dropped uint16 // packets lost or discarded since the last sample
	flush   bool   // the track ended: take what is there
}

// New returns an assembler that holds up to window packets (rounded up
// to a power of two, at most 32768) and waits up to maxWait for a missing
// packet, measured in the track's own time.
func New(window int, depack rtp.Depacketizer, clockRate uint32, maxWait time.Duration) *Assembler {
	n := 2
	for n < window && n < 1<<15 {
		n *= 2
	}
	return &Assembler{depack: depack, rate: clockRate, maxWait: uint32(maxWait.Seconds() * float64(clockRate)),
		slots: make([]*rtp.Packet, n), mask: uint16(n - 1)}
}

// Push takes a packet. A packet from before the window (already given
// out or given up on) is ignored.
func (a *Assembler) Push(p *rtp.Packet) {
	if !a.started {
		a.started, a.next, a.newest = true, p.SequenceNumber, p.Timestamp
	}
	d := int16(p.SequenceNumber - a.next)
	if d < -jump || d > jump {
		a.restart(p)
		d = 0
	}
	if d < 0 {
		return // late: its sample is gone
	}
	// Far ahead of the window: what it cannot hold is lost.
	for int(d) >= len(a.slots) {
		a.skip()
		d = int16(p.SequenceNumber - a.next)
	}
	i := p.SequenceNumber & a.mask
	if a.slots[i] == nil {
		a.held++
	}
	a.slots[i] = p
	if int32(p.Timestamp-a.newest) > 0 {
		a.newest = p.Timestamp
	}
}

// jump is how far from the window a packet must be to mean that the
// sender started over (a new sequence), not that it came late or after a
// loss: no retransmission is thousands of packets late.
const jump = 4096

// restart forgets what is held (lost) and starts again at p.
func (a *Assembler) restart(p *rtp.Packet) {
	for i := range a.slots {
		a.slots[i] = nil
	}
	a.dropped += uint16(a.held)
	a.held, a.next, a.newest = 0, p.SequenceNumber, p.Timestamp
}

// Flush makes Pop give out every complete sample held without waiting
// for anything missing (the track ended).
func (a *Assembler) Flush() { a.flush = true }

// Pop returns the next complete sample, or nil while it waits for
// packets. Samples come out in order; PrevDroppedPackets counts the
// packets lost (or discarded as part of a broken sample) before it.
func (a *Assembler) Pop() *media.Sample {
	for a.held > 0 {
		head := a.slots[a.next&a.mask]
		if head == nil {
			if !a.giveUp(a.next) {
				return nil
			}
			a.skip()
			continue
		}
		if !a.depack.IsPartitionHead(head.Payload) {
			// Its first packet was lost: the rest cannot be decoded.
			a.skip()
			continue
		}
		// Find its last packet: the same timestamp, contiguous.
		n, complete := 1, false
		for {
			p := a.slots[(a.next+uint16(n-1))&a.mask]
			if a.depack.IsPartitionTail(p.Marker, p.Payload) {
				complete = true
				break
			}
			q := a.slots[(a.next+uint16(n))&a.mask]
			if q == nil || n >= len(a.slots) {
				break
			}
			if q.Timestamp != head.Timestamp {
				complete = true // the next sample began: this one is whole
				break
			}
			n++
		}
		if !complete {
			if !a.giveUp(a.next + uint16(n)) {
				return nil
			}
			for i := 0; i < n; i++ {
				a.skip()
			}
			continue
		}
		return a.take(n, head.Timestamp)
	}
	return nil
}

// giveUp says whether to stop waiting for the packet at seq: the track
// ended, the window is full, or newer packets are already maxWait later.
func (a *Assembler) giveUp(seq uint16) bool {
	if a.flush || a.held >= len(a.slots)-1 {
		return true
	}
	// The oldest timestamp still held after the gap.
	for i := uint16(1); i < uint16(len(a.slots)); i++ {
		if p := a.slots[(seq+i)&a.mask]; p != nil {
			return a.newest-p.Timestamp > a.maxWait
		}
	}
	return false
}

// skip gives up the packet at next (lost, or part of a broken sample).
func (a *Assembler) skip() {
	i := a.next & a.mask
	if a.slots[i] != nil {
		a.slots[i] = nil
		a.held--
	}
	a.dropped++
	a.next++
}

// take gives out the n packets from next as one sample.
func (a *Assembler) take(n int, ts uint32) *media.Sample {
	var data []byte
	for i := 0; i < n; i++ {
		j := (a.next + uint16(i)) & a.mask
		if b, err := a.depack.Unmarshal(a.slots[j].Payload); err == nil {
			data = append(data, b...)
		}
		a.slots[j] = nil
	}
	a.held -= n
	a.next += uint16(n)
	s := &media.Sample{Data: data, PacketTimestamp: ts, PrevDroppedPackets: a.dropped}
	a.dropped = 0
	return s
}
