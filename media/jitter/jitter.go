// Package jitter measures how unevenly a stream's packets arrive and
// turns it into the delay a playout buffer should hold: long enough to
// ride out the lateness just seen, growing at once when arrivals turn
// rough and shrinking back once they have been calm for a while, so that
// a clean network keeps the least delay.
//
// Two measures are kept. RFC 3550's interarrival jitter (section 6.4.1,
// the mean deviation of successive transit times, gain 1/16) is what
// receiver reports carry and what statistics show. The target itself
// follows the late packets: each packet's transit time (arrival less its
// RTP timestamp) above the least transit seen says how late it came, and
// a buffer that holds that much plays on through it. Bursty arrivals (a
// link that delivers in clumps, a loss that holds later packets back
// until the gap is given up on) have a modest mean deviation but long
// lateness, and it is the lateness that empties a buffer.
package jitter

import (
	"math"
	"time"
)

// Defaults: a clean network gets MinDelay (two device periods of margin
// beside the decoder's 20 ms frames); nothing waits past MaxDelay.
const (
	MinDelay = 40 * time.Millisecond
	MaxDelay = 400 * time.Millisecond
)

// Margin is added to the lateness seen: the speaker takes sound in 10 ms
// periods, so the buffer's level swings by about that much besides.
const Margin = 20 * time.Millisecond

// Hold is how long the worst lateness is remembered: stalls come again
// (a link that stalled once in the last seconds will again), and a
// target that shrank between them would run dry at each. Past it the
// target comes down by Shrink, a fraction of real time (100 ms less per
// second, in steps of 30 ms or more: the playout buffer drops what it
// holds beyond its target and a slack), so that a calm network is back
// at the least delay within about 7 s of its last stall.
const (
	Hold   = 5 * time.Second
	Shrink = 0.1
)

// holdSlots divides Hold: the worst lateness of each part is kept.
const holdSlots = 5

// baseCreep is how fast the least transit seen is forgotten, as a
// fraction of real time: a path whose delay rose for good (a new route)
// stops counting as late after a while (150 ms in 30 s).
const baseCreep = 0.005

// Delay tracks one stream. The zero value is not usable: use New. Not
// safe for concurrent use.
type Delay struct {
	clock    float64 // RTP clock rate
	min, max time.Duration

	have        bool
	lastAt      time.Time
	lastTS      uint32
	ts          float64 // unwrapped RTP time of the last packet, seconds
	transit     float64 // arrival less RTP time, seconds (of the last packet)
	base        float64 // the least transit seen (creeping up slowly)
	jitter      float64 // RFC 3550's estimate, seconds
	late        float64 // the lateness held now, seconds (decays by Shrink)
	lastUpdated time.Time
	worst       [holdSlots]float64 // the worst lateness of each part of Hold
	slot        int64              // the part now, counted from the first packet
}

// New tracks a stream of RTP clock rate clockRate, with a target between
// min and max.
func New(clockRate int, min, max time.Duration) *Delay {
	return &Delay{clock: float64(clockRate), min: min, max: max}
}

// Arrived notes a packet of RTP timestamp ts that arrived at at, and
// returns the target delay.
func (d *Delay) Arrived(ts uint32, at time.Time) time.Duration {
	if !d.have {
		d.have, d.lastAt, d.lastTS, d.lastUpdated = true, at, ts, at
		return d.Target()
	}
	elapsed := at.Sub(d.lastUpdated).Seconds()
	d.lastUpdated = at
	d.ts += float64(int32(ts-d.lastTS)) / d.clock
	d.lastTS = ts
	transit := at.Sub(d.lastAt).Seconds() - d.ts // relative to the first packet
	diff := math.Abs(transit - d.transit)
	d.transit = transit
	d.jitter += (diff - d.jitter) / 16

	d.base = math.Min(d.base+baseCreep*elapsed, transit)
	late := transit - d.base
	if slot := int64(d.ts / (Hold / holdSlots).Seconds()); slot != d.slot {
		for s := d.slot + 1; s <= slot && s <= d.slot+holdSlots; s++ {
			d.worst[s%holdSlots] = 0
		}
		d.slot = slot
	}
	i := d.slot % holdSlots
	d.worst[i] = math.Max(d.worst[i], late)
	held := 0.0
	for _, w := range d.worst {
		held = math.Max(held, w)
	}
	d.late = math.Max(d.late-Shrink*elapsed, held)
	return d.Target()
}

// Target is the delay a playout buffer should hold now.
func (d *Delay) Target() time.Duration {
	t := time.Duration(d.late*float64(time.Second)) + Margin
	return max(d.min, min(d.max, t))
}

// Jitter is RFC 3550's interarrival jitter.
func (d *Delay) Jitter() time.Duration { return time.Duration(d.jitter * float64(time.Second)) }
