package media

import "time"

// A rung of the video ladder: the picture scaled to num/den of the
// camera's width and height, every step-th frame of the camera sent. The
// last rung (step 0) sends no video at all.
type rung struct {
	num, den, step int
}

// videoLadder goes from the camera's own size and rate down to half the
// size at half the rate, then to no video: for 640x480@30, 480x360@30,
// 320x240@15, paused. Below the first rung a smaller picture looks
// better than a blurred big one at the same bitrate, and below the last
// one the sound matters more than any picture.
var videoLadder = []rung{{1, 1, 1}, {3, 4, 1}, {1, 2, 2}, {0, 0, 0}}

// Bits per pixel (of the pixels sent per second) below which a rung is
// left for the next, and above which the one above is taken again: the
// gap between them is the hysteresis. VP8 at 0.03 bit/pixel still
// reads clearly on a talking head; stepping up asks half as much again,
// so that the larger picture does not at once fall back.
const (
	downBitsPerPixel = 0.03
	upBitsPerPixel   = 0.045
)

// Timing of the ladder: a step up waits until the budget has allowed it
// for upHold (a short rise of the estimate is not trusted); a step down
// waits until the budget has been short for downHold, or is taken at
// once when it is short by half (a dip of the estimate on a loaded
// machine, where delays jitter, is not congestion); and none is taken
// while the last step up is younger than upGrace (the estimate needs
// that long to follow the new rate: without it a step up from paused
// would never last). After pausedProbe without
// video, the lowest rung is tried again: with congestion control's
// estimate capped at 1.5 times what arrives, the estimate cannot rise
// by itself while only sound is sent.
//
// A probe that fails (the rung is left for paused again before
// probeConfirm) doubles the wait before the next, up to maxProbeWait: on
// a link that stays narrow each probe pushes the sender over it for a
// couple of seconds, and at 400 kbit/s a probe every 5 s overflowed the
// link's queue and froze the picture the receiver had (the low layer of
// a simulcast sender).
const (
	upHold       = 3 * time.Second
	downHold     = time.Second
	upGrace      = 2 * time.Second
	pausedProbe  = 5 * time.Second
	maxProbeWait = 20 * time.Second
	probeConfirm = 10 * time.Second
)

// audioReserve is what the sound needs of the estimate, in bits per
// second, when each packet carries depth earlier frames again (RED,
// red.go): Opus at 32 kb/s for each frame carried, and the packets'
// headers. Video gets what is left, so the sound is never what starves.
func audioReserve(depth int) int { return 24_000 + 32_000*(depth+1) }

// videoBudget is the video's share of congestion control's estimate of
// the whole connection: a tenth is kept for the encoder's overshoot
// (keyframes) and retransmissions.
func videoBudget(estimate, redDepth int) int { return estimate*9/10 - audioReserve(redDepth) }

// adapter chooses the rung for a camera of w x h at fps from the video
// budget, with hysteresis. Not safe for concurrent use.
type adapter struct {
	w, h, fps int
	ladder    []rung
	level     int       // index in ladder
	upOK      time.Time // since when the rung above has been affordable (zero: it is not)
	short     time.Time // since when this rung has not been affordable (zero: it is)
	changed   time.Time // when level last changed
	wentUp    bool      // the last change was a step up
	stalled   bool      // the link has gone silent (budget 0)
	before    int       // the level a stall left
	probed    bool      // the rung above paused was taken by a probe, not yet confirmed
	probeWait time.Duration
}

func newAdapter(w, h, fps int) *adapter {
	return &adapter{w: w, h: h, fps: fps, ladder: videoLadder, probeWait: pausedProbe}
}

// topLadder is the ladder of a simulcast sender's top layer: below 3/4
// of its size it stops, and the layers below it serve (a lower layer at
// the full frame rate beats the top at half of it).
var topLadder = []rung{videoLadder[0], videoLadder[1], videoLadder[len(videoLadder)-1]}

// pixelRate is how many pixels a second rung r sends.
func (a *adapter) pixelRate(r rung) float64 {
	if r.step == 0 {
		return 0
	}
	w, h := a.w*r.num/r.den, a.h*r.num/r.den
	return float64(w*h) * float64(a.fps) / float64(r.step)
}

// down is the budget below which rung i is left.
func (a *adapter) down(i int) int {
	return int(downBitsPerPixel * a.pixelRate(a.ladder[i]))
}

// up is the budget at which rung i is taken from the one below.
func (a *adapter) up(i int) int {
	return int(upBitsPerPixel * a.pixelRate(a.ladder[i]))
}

// update takes the budget at now and returns the rung to send. A budget
// of 0 is a stall (no feedback: the network has gone silent): the video
// falls at once to its lowest rung, which keeps a picture going on a link
// that is only half dead and costs little on one that is dead; when a
// budget comes again it goes straight back to the rung it left, since a
// silence says nothing of the bandwidth, and congestion control, which
// kept its estimate, takes it from there.
func (a *adapter) update(budget int, now time.Time) rung {
	paused := len(a.ladder) - 1
	if budget <= 0 {
		if !a.stalled {
			a.stalled, a.before = true, a.level
			if a.level < paused-1 {
				a.level = paused - 1
				a.set(now, false)
			}
		}
		return a.ladder[a.level]
	}
	if a.stalled {
		a.stalled = false
		if a.before < a.level {
			a.level = a.before
			a.set(now, true)
		}
	}
	if a.probed && a.level < paused && now.Sub(a.changed) >= probeConfirm {
		a.probed, a.probeWait = false, pausedProbe // the probe held
	}
	if a.level < paused && budget < a.down(a.level) {
		if a.short.IsZero() {
			a.short = now
		}
	} else {
		a.short = time.Time{}
	}
	switch {
	case !a.short.IsZero() && (now.Sub(a.short) >= downHold || budget < a.down(a.level)/2) &&
		!(a.wentUp && now.Sub(a.changed) < upGrace):
		// Down as far as the budget says.
		for a.level < paused && budget < a.down(a.level) {
			a.level++
		}
		if a.level == paused && a.probed {
			a.probed, a.probeWait = false, min(2*a.probeWait, maxProbeWait)
		}
		a.set(now, false)
	case a.level == paused && now.Sub(a.changed) >= a.probeWait:
		a.level--
		a.probed = true
		a.set(now, true)
	case a.level > 0 && budget >= a.up(a.level-1):
		if a.upOK.IsZero() {
			a.upOK = now
		} else if now.Sub(a.upOK) >= upHold {
			if a.level == paused {
				a.probeWait = pausedProbe // the budget itself allows it
			}
			a.level--
			a.set(now, true)
		}
	default:
		a.upOK = time.Time{}
	}
	return a.ladder[a.level]
}

func (a *adapter) set(now time.Time, up bool) {
	a.changed, a.wentUp, a.upOK, a.short = now, up, time.Time{}, time.Time{}
}
