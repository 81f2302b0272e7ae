package media

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestReplayTimeRunsOnWhileResting: a replayed simulcast layer that rests
// (nobody receives it) and comes back sends its next frame with the time
// it rested, as a camera's layer does, so its RTP time keeps pace with
// the other layers' (a server relating layers by their sender reports
// could not switch to one that fell behind); and so does the video after
// being muted.
func TestReplayTimeRunsOnWhileResting(t *testing.T) {
	l, err := NewReplayLocal(640, 480, 30, 440)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	layers := SimulcastLayers(640, 480)
	if len(layers) < 2 {
		t.Fatalf("640x480 has %d layers", len(layers))
	}
	var mu sync.Mutex
	sent := make([]time.Duration, len(layers)) // the RTP time each layer advanced
	longest := make([]time.Duration, len(layers))
	var resting atomic.Bool
	outs := make([]LayerOutput, len(layers))
	for k, ly := range layers {
		outs[k] = LayerOutput{Layer: ly, Write: func(_ []byte, d time.Duration) error {
			mu.Lock()
			sent[k] += d
			longest[k] = max(longest[k], d)
			mu.Unlock()
			return nil
		}}
	}
	top := len(layers) - 1
	outs[top].Paused = resting.Load
	l.SendLayers(outs)
	start := func() (d []time.Duration) {
		mu.Lock()
		defer mu.Unlock()
		return append(d, sent...)
	}
	time.Sleep(300 * time.Millisecond)
	before := start()
	resting.Store(true)
	time.Sleep(500 * time.Millisecond)
	resting.Store(false)
	time.Sleep(200 * time.Millisecond)
	l.SetVideoMuted(true)
	time.Sleep(400 * time.Millisecond)
	l.SetVideoMuted(false)
	time.Sleep(300 * time.Millisecond)
	after := start()
	mu.Lock()
	defer mu.Unlock()
	low, high := after[0]-before[0], after[top]-before[top]
	// The same span for both, to a frame or two (when each wrote last).
	if diff := high - low; diff < -70*time.Millisecond || diff > 70*time.Millisecond {
		t.Errorf("over the same span the low layer's time advanced %v and the top layer's %v", low, high)
	}
	if longest[top] < 400*time.Millisecond || longest[0] < 300*time.Millisecond {
		t.Errorf("the longest step of RTP time: %v on the top layer after resting 500 ms, %v on the low after 400 ms muted",
			longest[top], longest[0])
	}
}
