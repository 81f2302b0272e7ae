package media

import (
	"sync"
	"sync/atomic"
	"time"

	"kaigi/media/apm"
)

// ProcessingConfig says which stages of the audio processing run.
type ProcessingConfig = apm.Config

// ErrNoProcessing: this platform has no audio processing (the call goes
// on unprocessed).
var ErrNoProcessing = apm.ErrUnavailable

// DefaultProcessing is what a call starts with: everything on.
var DefaultProcessing = ProcessingConfig{EchoCancel: true, NoiseSuppress: true, GainControl: true}

// unseenDelay is added to the delays we know (our buffers and the
// devices'): the part of the echo path no API reports (the sound
// system's own buffers, the room). The echo canceller finds the true
// delay itself within about -60..+100 ms of what it is told (measured in
// media/apm's tests), so telling it a little more than we know covers
// both a laptop's speaker (a few ms) and sound systems that buffer more.
const unseenDelay = 40 * time.Millisecond

// Processing is the audio processing stage between the microphone and the
// encoder: echo cancellation, noise suppression and gain control. One
// Processing serves a call: Local runs what the microphone captures
// through it (LocalConfig.Processing), and Remote gives it what the
// speaker plays, the echo canceller's reference (RemoteConfig.Processing).
// It outlives device switches on either side.
type Processing struct {
	apm *apm.Processor

	mu     sync.Mutex
	render []int16 // played, not yet a whole 10 ms frame

	playDelay atomic.Int64 // nanoseconds from the speaker's callback to the air
}

// NewProcessing starts the processing stage with cfg's stages on.
func NewProcessing(cfg ProcessingConfig) (*Processing, error) {
	p, err := apm.New(cfg)
	if err != nil {
		return nil, err
	}
	return &Processing{apm: p, render: make([]int16, 0, 2*apm.Frame)}, nil
}

// Set turns stages on or off during a call.
func (p *Processing) Set(cfg ProcessingConfig) error { return p.apm.Set(cfg) }

// Config is what runs now.
func (p *Processing) Config() ProcessingConfig { return p.apm.Config() }

// EchoStats is what the echo canceller reports (its delay estimate).
func (p *Processing) EchoStats() apm.Stats { return p.apm.Stats() }

// Close frees the stage; Local and Remote using it must be closed first.
func (p *Processing) Close() { p.apm.Close() }

// played is called by the speaker's callback with exactly what it hands
// the device (the final mix, after clipping); delay is how long the
// device takes to play it.
func (p *Processing) played(pcm []int16, delay time.Duration) {
	p.playDelay.Store(int64(delay))
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(pcm) > 0 {
		n := min(len(pcm), apm.Frame-len(p.render))
		p.render = append(p.render, pcm[:n]...)
		pcm = pcm[n:]
		if len(p.render) == apm.Frame {
			// An error here can only mean Close: nothing to cancel then.
			_ = p.apm.Render(p.render)
			p.render = p.render[:0]
		}
	}
}

// capture cleans pcm (a whole number of 10 ms frames) in place; delay is
// how long ago its first sample reached the microphone.
func (p *Processing) capture(pcm []int16, delay time.Duration) error {
	total := time.Duration(p.playDelay.Load()) + delay + unseenDelay
	for len(pcm) >= apm.Frame {
		if err := p.apm.Capture(pcm[:apm.Frame], int(total/time.Millisecond)); err != nil {
			return err
		}
		pcm = pcm[apm.Frame:]
	}
	return nil
}
