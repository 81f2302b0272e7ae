package media

import (
	"slices"
	"testing"
	"time"
)

// TestSimulcastLayers: the layers are livekit-client's for the camera's
// size (publishUtils.ts: presets43/169 and defaultSimulcastPresets).
func TestSimulcastLayers(t *testing.T) {
	for _, c := range []struct {
		w, h int
		want []Layer
	}{
		{640, 480, []Layer{{240, 180, 125_000}, {640, 480, 500_000}}},
		{1280, 720, []Layer{{320, 180, 160_000}, {640, 360, 450_000}, {1280, 720, 1_700_000}}},
		{960, 720, []Layer{{240, 180, 125_000}, {480, 360, 330_000}, {960, 720, 1_300_000}}},
		{480, 640, []Layer{{180, 240, 125_000}, {480, 640, 500_000}}},
		{320, 240, []Layer{{320, 240, 140_000}}},
	} {
		if got := SimulcastLayers(c.w, c.h); !slices.Equal(got, c.want) {
			t.Errorf("%dx%d: %v, want %v", c.w, c.h, got, c.want)
		}
	}
}

// TestLayersYieldTopFirst: as the budget falls the top layer is turned
// off before the low one loses anything, and comes back only with room
// to spare (hysteresis).
func TestLayersYieldTopFirst(t *testing.T) {
	s := &Layers{}
	for _, ly := range SimulcastLayers(640, 480) {
		s.layers = append(s.layers, &layer{out: LayerOutput{Layer: ly}})
	}
	now := time.Now()
	on := func() []bool { return []bool{!s.layers[0].off.Load(), !s.layers[1].off.Load()} }
	s.split(0, false, 30, now)
	if !slices.Equal(on(), []bool{true, true}) || s.layers[1].target.Load() != 500_000 {
		t.Fatalf("without an estimate: %v, top %d", on(), s.layers[1].target.Load())
	}
	// 640x480@30 needs 0.03 bit/pixel = 276 kb/s of its own.
	now = now.Add(upGrace)
	s.split(125_000+300_000, true, 30, now)
	if !slices.Equal(on(), []bool{true, true}) || s.layers[1].target.Load() != 300_000 {
		t.Fatalf("425 kb/s: %v, top %d", on(), s.layers[1].target.Load())
	}
	s.split(125_000+200_000, true, 30, now)
	if !slices.Equal(on(), []bool{true, false}) || s.layers[0].target.Load() != 125_000 {
		t.Fatalf("325 kb/s: %v, low %d", on(), s.layers[0].target.Load())
	}
	now = now.Add(time.Second)
	s.split(125_000+300_000, true, 30, now) // above the way down, below the way up
	if !slices.Equal(on(), []bool{true, false}) {
		t.Fatalf("425 kb/s after falling: %v", on())
	}
	s.split(125_000+500_000, true, 30, now)
	if !slices.Equal(on(), []bool{true, true}) {
		t.Fatalf("625 kb/s: %v", on())
	}
	// Off for long, it is tried again whatever the estimate says (which
	// follows what is sent); it then holds for upGrace.
	now = now.Add(upGrace)
	s.split(125_000+100_000, true, 30, now)
	if !slices.Equal(on(), []bool{true, false}) {
		t.Fatalf("225 kb/s: %v", on())
	}
	now = now.Add(pausedProbe)
	s.split(125_000+100_000, true, 30, now)
	if !slices.Equal(on(), []bool{true, true}) || s.layers[1].target.Load() < 276_000 {
		t.Fatalf("225 kb/s, off for %v: %v, top %d", pausedProbe, on(), s.layers[1].target.Load())
	}
	s.split(125_000+100_000, true, 30, now.Add(upGrace/2))
	if !slices.Equal(on(), []bool{true, true}) {
		t.Fatalf("225 kb/s while probing: %v", on())
	}
}
