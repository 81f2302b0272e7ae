package rtc

import (
	"fmt"
	"sync"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/interceptor/pkg/cc"
	"github.com/pion/interceptor/pkg/gcc"
	"github.com/pion/rtcp"
)

// Bounds of congestion control's estimate, in bits per second: it starts
// where the encoders start, and its floor leaves the smallest video
// (media's ladder) room beside the sound. At a floor of 100 kb/s, delay
// jitter on a loaded machine behind a 400 kb/s link drove pion's
// estimate (each decrease is 0.85 times what arrived, and after a step
// down little arrives) to the floor, and the video to a pause, in half
// the runs.
const (
	startBitrate = 800_000
	minBitrate   = 150_000
	maxBitrate   = 2_500_000
)

// heavyLoss is the average loss from which gcc's loss-based estimate is
// followed (below it, only the delay-based one), once it has lasted
// heavyHold: pion's average moves with each feedback, and on a path that
// loses 10 % at random it rose to 0.207 for 0.4 s, long enough for a
// loss-based estimate of 275 kb/s (against 1.9 Mb/s delay-based) to turn
// the top simulcast layer off; livekit-server then forwarded the low
// layer for the rest of the run (it waits 10 s of steady packets before
// it takes a layer back), and the receiver froze 0.9 s at the switch.
//
// Nor is it followed for stallCalm after a stall (no feedback at all, the
// network gone): the first feedback after it reports every packet sent
// into the dead link as lost, pion's average stays heavy for seconds, and
// after a 20 s outage in a meeting our host served the estimate fell to
// under 200 kb/s 2 s after the network came back and stayed there 4 s (the
// top layer off, the receiver's picture stuttering).
const (
	heavyLoss = 0.2
	heavyHold = 2 * time.Second
	stallCalm = 5 * time.Second
)

// congestionControl is Google congestion control on what a PeerConnection
// sends. pion computes the estimate but hands it to nobody: onBitrate
// (when set) receives every change, from any PeerConnection of the API.
// paced sends through gcc's leaky-bucket pacer, which spreads each frame
// over the estimate (and so delays it); unpaced, packets leave as they
// are written and only the estimate is computed.
func congestionControl(onBitrate func(bps int), paced bool) (*cc.InterceptorFactory, error) {
	f, err := cc.NewInterceptor(func() (cc.BandwidthEstimator, error) {
		opts := []gcc.Option{gcc.SendSideBWEInitialBitrate(startBitrate),
			gcc.SendSideBWEMinBitrate(minBitrate), gcc.SendSideBWEMaxBitrate(maxBitrate)}
		var p *steeredPacer
		if paced {
			p = &steeredPacer{gcc.NewLeakyBucketPacer(startBitrate)}
			opts = append(opts, gcc.SendSideBWEPacer(p))
		} else {
			opts = append(opts, gcc.SendSideBWEPacer(gcc.NewNoOpPacer()))
		}
		bwe, err := gcc.NewSendSideBWE(opts...)
		if err != nil {
			return nil, err
		}
		return &estimator{SendSideBWE: bwe, pacer: p}, nil
	})
	if err != nil {
		return nil, fmt.Errorf("congestion control: %w", err)
	}
	f.OnNewPeerConnection(func(_ string, est cc.BandwidthEstimator) {
		if onBitrate != nil {
			est.OnTargetBitrateChange(onBitrate)
		}
	})
	return f, nil
}

// estimator is pion's gcc with two corrections.
//
// Retransmissions: gcc sends every packet through its pacer, which knows
// only the streams' primary SSRCs and refuses others, so where the room
// negotiates RTX (LiveKit does) every retransmission was dropped: with
// 10 % of the uplink lost, the SFU asked again and again, the receiver
// asked for keyframes twice a second and decoded 1.5–3 frames a second.
// AddStream registers the RTX SSRC with the pacer too.
//
// Loss: the estimate follows the delay-based controller alone until the
// loss is heavy. pion's loss-based controller cuts the
// rate whenever the loss stays above 10 % (and never raises it above
// 2 %), with its own floor of 100 kb/s rather than ours
// (pion/interceptor#433): on a path that loses 10 % at random, as Wi-Fi
// does, it drove the estimate of a LiveKit publisher here down to that
// floor in seconds, and the video with it, although the path had room.
// Congestion shows first as queueing delay, which the delay-based
// controller sees; loss without delay is not congestion. Above heavyLoss
// the path is failing whatever the cause, and the lower of the two is
// taken. Its notices come from the goroutine that delivers feedback, in
// order (pion's own come from a goroutine per change, in any order).
//
// Stalls: when transport-wide feedback stops while we send (stall.go),
// the estimate handed on is 0 until feedback comes back, and then the
// estimate again, changed or not.
//
// Pacing: gcc's pacer sends at pion's own estimate, the lower of the
// delay-based and the loss-based ones, which the corrections above do
// not reach. After a 20 s outage the first feedback reported everything
// sent into the dead link as lost, the loss-based estimate fell, and the
// pacer let out half of what the encoders made (sent at our estimate) for
// some 10 s: the receiver got 15-20 pictures a second with gaps up to
// 1 s, in meetings our host serves (TestOutageHosted). So the pacer
// follows our estimate (steeredPacer).
type estimator struct {
	*gcc.SendSideBWE
	pacer     *steeredPacer // nil: unpaced
	mu        sync.Mutex
	onBitrate func(int)
	last      int
	stall     stallWatch
	heavy     time.Time // since when the average loss has been heavy (zero: it is not)
	calm      time.Time // until when loss is not taken as heavy (after a stall)
}

func (e *estimator) AddStream(info *interceptor.StreamInfo, w interceptor.RTPWriter) interceptor.RTPWriter {
	if info.SSRCRetransmission != 0 {
		rtx := *info
		rtx.SSRC = info.SSRCRetransmission
		e.SendSideBWE.AddStream(&rtx, w)
	}
	return e.watchSends(e.SendSideBWE.AddStream(info, w))
}

func (e *estimator) OnTargetBitrateChange(f func(int)) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.onBitrate = f
}

func (e *estimator) GetTargetBitrate() int {
	if t := e.target(); t > 0 {
		return t
	}
	return e.SendSideBWE.GetTargetBitrate()
}

// target is the estimate as explained above (0: none yet).
func (e *estimator) target() int {
	st := e.SendSideBWE.GetStats()
	delay, _ := st["delayTargetBitrate"].(int)
	loss, _ := st["lossTargetBitrate"].(int)
	avg, _ := st["averageLoss"].(float64)
	if e.heavyFor(avg >= heavyLoss && loss > 0, time.Now()) >= heavyHold {
		return min(delay, loss)
	}
	return delay
}

// heavyFor notes whether the loss is heavy now and says for how long it
// has been.
func (e *estimator) heavyFor(heavy bool, now time.Time) time.Duration {
	e.mu.Lock()
	defer e.mu.Unlock()
	switch {
	case !heavy || now.Before(e.calm):
		e.heavy = time.Time{}
		return 0
	case e.heavy.IsZero():
		e.heavy = now
	}
	return now.Sub(e.heavy)
}

func (e *estimator) WriteRTCP(pkts []rtcp.Packet, a interceptor.Attributes) error {
	if err := e.SendSideBWE.WriteRTCP(pkts, a); err != nil {
		return err
	}
	now := time.Now()
	resumed := e.stall.heard(pkts, now)
	if resumed {
		e.mu.Lock()
		e.calm = now.Add(stallCalm)
		e.mu.Unlock()
	}
	t := e.target()
	if resumed && t == 0 {
		t = e.SendSideBWE.GetTargetBitrate() // no estimate of its own yet: the start
	}
	e.mu.Lock()
	f, changed := e.onBitrate, (t != e.last || resumed) && t > 0
	e.last = t
	e.mu.Unlock()
	if changed && e.pacer != nil {
		e.pacer.steer(t)
	}
	if changed && f != nil {
		f(t)
	}
	return nil
}

// steeredPacer is gcc's leaky-bucket pacer at the rate the estimator
// gives it (steer), deaf to the rate gcc itself sets.
type steeredPacer struct{ *gcc.LeakyBucketPacer }

func (p *steeredPacer) SetTargetBitrate(int) {}

func (p *steeredPacer) steer(bps int) { p.LeakyBucketPacer.SetTargetBitrate(bps) }
