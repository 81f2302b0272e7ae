//go:build linux

package apm

/*
#cgo pkg-config: webrtc-audio-processing
#cgo CXXFLAGS: -std=c++11
#include <stdlib.h>
#include "apm.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"sync"
	"unsafe"
)

// Processor is one audio processing module. Render and Capture may be
// called from different goroutines (the speaker's callback and the
// encoder's loop); a lock keeps the module's calls apart, each well under
// a millisecond.
type Processor struct {
	mu  sync.Mutex
	a   *C.kaigi_apm
	cfg Config
}

// New makes a processor with the stages of cfg enabled.
func New(cfg Config) (*Processor, error) {
	a := C.kaigi_apm_new(C.int(Rate))
	if a == nil {
		return nil, errors.New("apm: cannot create the audio processing module")
	}
	p := &Processor{a: a}
	if err := p.Set(cfg); err != nil {
		C.kaigi_apm_free(a)
		return nil, err
	}
	return p, nil
}

func apmError(op string, code C.int) error {
	if code == 0 {
		return nil
	}
	return fmt.Errorf("apm: %s: error %d", op, int(code))
}

func b2i(b bool) C.int {
	if b {
		return 1
	}
	return 0
}

// Set changes which stages run; the others keep their state.
func (p *Processor) Set(cfg Config) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.a == nil {
		return ErrClosed
	}
	p.cfg = cfg
	return apmError("enable", C.kaigi_apm_set(p.a, b2i(cfg.EchoCancel), b2i(cfg.NoiseSuppress), b2i(cfg.GainControl)))
}

// Config is what runs now.
func (p *Processor) Config() Config {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cfg
}

// Render gives one frame (Frame samples) of what is played: the echo
// reference.
func (p *Processor) Render(frame []int16) error {
	if len(frame) != Frame {
		return fmt.Errorf("apm: render frame of %d samples, want %d", len(frame), Frame)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.a == nil {
		return ErrClosed
	}
	return apmError("render", C.kaigi_apm_render(p.a, (*C.int16_t)(unsafe.Pointer(&frame[0]))))
}

// Capture processes one captured frame (Frame samples) in place. delayMs
// is how long ago the audio it may echo was given to Render (what is
// known of the playback and capture buffers); the echo canceller refines
// it itself.
func (p *Processor) Capture(frame []int16, delayMs int) error {
	if len(frame) != Frame {
		return fmt.Errorf("apm: capture frame of %d samples, want %d", len(frame), Frame)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.a == nil {
		return ErrClosed
	}
	return apmError("capture", C.kaigi_apm_capture(p.a, (*C.int16_t)(unsafe.Pointer(&frame[0])), C.int(delayMs)))
}

// Stats reports the echo canceller's state.
func (p *Processor) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.a == nil {
		return Stats{EchoDelayMs: -1}
	}
	var s C.kaigi_apm_stats
	C.kaigi_apm_stats_get(p.a, &s)
	return Stats{EchoDelayMs: int(s.echo_delay_ms), EchoDelayStdMs: int(s.echo_delay_std_ms),
		PoorDelays: float64(s.poor_delays), HasEcho: s.has_echo != 0}
}

// Close frees the module; later calls fail with ErrClosed.
func (p *Processor) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.a != nil {
		C.kaigi_apm_free(p.a)
		p.a = nil
	}
}
