package jitter

import (
	"math/rand"
	"testing"
	"time"
)

// feed sends n 20 ms Opus packets (48 kHz) starting at packet first, each
// arriving at the time arrive gives it, and returns the last target.
func feed(d *Delay, t0 time.Time, first, n int, arrive func(i int) time.Duration) time.Duration {
	var target time.Duration
	for i := first; i < first+n; i++ {
		target = d.Arrived(uint32(i*960)+0xffff0000, t0.Add(arrive(i)))
	}
	return target
}

func steady(i int) time.Duration { return time.Duration(i) * 20 * time.Millisecond }

func TestDelay(t *testing.T) {
	t0 := time.Unix(1000, 0)
	rng := rand.New(rand.NewSource(1))
	d := New(48000, MinDelay, MaxDelay)

	// A clean network (a millisecond of scheduling noise; the RTP
	// timestamps wrap on the way): the least delay.
	got := feed(d, t0, 0, 250, func(i int) time.Duration { return steady(i) + time.Duration(rng.Intn(1000))*time.Microsecond })
	if got != MinDelay || d.Jitter() > time.Millisecond {
		t.Errorf("clean: target %s, jitter %s; want %s and under 1 ms", got, d.Jitter(), MinDelay)
	}

	// Clumps: everything of each 100 ms arrives at its end.
	clump := func(i int) time.Duration { return steady(i/5*5 + 5) }
	got = feed(d, t0, 250, 50, clump)
	if got < 100*time.Millisecond || got > 140*time.Millisecond {
		t.Errorf("100 ms clumps: target %s, want 100-140 ms (the 80 ms lateness and the margin)", got)
	}
	if d.Jitter() < 10*time.Millisecond {
		t.Errorf("100 ms clumps: RFC 3550 jitter %s, want it up too", d.Jitter())
	}

	// Calm again: the target holds for Hold, then comes back down.
	got = feed(d, t0, 300, 200, steady)
	if got < 100*time.Millisecond {
		t.Errorf("4 s after the clumps: target %s, want it held", got)
	}
	got = feed(d, t0, 500, 250, steady)
	if got != MinDelay {
		t.Errorf("9 s after the clumps: target %s, want %s", got, MinDelay)
	}

	// Silence sent as DTX (400 ms between packets in timestamps and in
	// arrival) is not lateness.
	feed(d, t0, 760, 20, steady)
	got = feed(d, t0, 800, 20, steady) // 780-799 were not sent
	if got != MinDelay {
		t.Errorf("after DTX: target %s", got)
	}

	// A path whose delay rose for good stops counting as late.
	got = feed(d, t0, 820, 1, func(i int) time.Duration { return steady(i) + 150*time.Millisecond })
	if got < 150*time.Millisecond {
		t.Errorf("a step of 150 ms: target %s, want at least that", got)
	}
	got = feed(d, t0, 821, 3000, func(i int) time.Duration { return steady(i) + 150*time.Millisecond })
	if got != MinDelay {
		t.Errorf("a minute on the slower path: target %s, want %s", got, MinDelay)
	}

	// Never past the ceiling.
	got = feed(d, t0, 3821, 1, func(int) time.Duration { return steady(3821) + 2*time.Second })
	if got != MaxDelay {
		t.Errorf("a 2 s hold: target %s, want the ceiling %s", got, MaxDelay)
	}
}
