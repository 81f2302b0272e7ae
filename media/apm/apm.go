// Package apm is a small cgo wrapper of the WebRTC audio processing module
// (webrtc-audio-processing 0.3, as Debian ships it): acoustic echo
// cancellation that finds the echo path's delay itself (AEC2 with
// DelayAgnostic and ExtendedFilter), noise suppression and automatic gain
// control, on mono 10 ms frames.
//
// A call gives the processor everything it plays (Render) and everything
// the microphone captures (Capture, which cleans the frame in place).
//
// The library is Debian's libwebrtc-audio-processing-dev (0.3); elsewhere
// (macOS, Windows, whose package managers ship the incompatible 1.x API)
// New fails with ErrUnavailable and calls go unprocessed.
package apm

import "errors"

// Rate is the sample rate the processor works at, and Frame the samples
// of one 10 ms frame.
const (
	Rate  = 48000
	Frame = Rate / 100
)

// Config says which stages run.
type Config struct {
	EchoCancel    bool
	NoiseSuppress bool
	GainControl   bool
}

// Stats is what the echo canceller reports.
type Stats struct {
	EchoDelayMs    int     // its estimate of the echo path's delay (-1: none yet)
	EchoDelayStdMs int     // spread of that estimate
	PoorDelays     float64 // share of delay estimates too unreliable to cancel with
	HasEcho        bool    // the last captured frame might hold echo
}

// Errors: the processor was closed; this platform has no processing.
var (
	ErrClosed      = errors.New("apm: closed")
	ErrUnavailable = errors.New("apm: audio processing is not available on this platform")
)
