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

// TestLayersYieldTopFirst: as the budget falls the top layer steps down
// its ladder (smaller, then off) before the low one loses anything,
// and off is tried again after pausedProbe; a middle layer turns off
// below what its size needs and comes back with room to spare.
func TestLayersYieldTopFirst(t *testing.T) {
	s := &Layers{}
	for _, ly := range SimulcastLayers(640, 480) {
		s.layers = append(s.layers, &layer{out: LayerOutput{Layer: ly}})
	}
	low, top := s.layers[0], s.layers[1]
	now := time.Now()
	check := func(what string, budget int, w, h, step int, topOff bool) {
		t.Helper()
		s.split(budget, true, 30, now)
		gw, gh, gs := top.size()
		if top.off.Load() != topOff || (!topOff && (gw != w || gh != h || gs != step)) || low.off.Load() || low.target.Load() != 125_000 {
			t.Fatalf("%s: top %dx%d every %d, off %v; low target %d", what, gw, gh, gs, top.off.Load(), low.target.Load())
		}
	}
	s.split(0, false, 30, now)
	if top.target.Load() != 500_000 || top.off.Load() {
		t.Fatalf("without an estimate: top %d, off %v", top.target.Load(), top.off.Load())
	}
	// 640x480@30 needs 0.03 bit/pixel = 276 kb/s of its own.
	check("425 kb/s", 125_000+300_000, 640, 480, 1, false)
	check("325 kb/s, at once", 125_000+200_000, 640, 480, 1, false)
	now = now.Add(downHold)
	check("325 kb/s for a second", 125_000+200_000, 480, 360, 1, false)
	now = now.Add(time.Second)
	check("135 kb/s", 125_000+10_000, 0, 0, 0, true)
	now = now.Add(pausedProbe)
	check("135 kb/s, off for long", 125_000+10_000, 480, 360, 1, false)
	// All of the budget to the low layer: the top goes off, as it does
	// with a little left (a share of 0 is not a stall, which would keep
	// it on at its lowest rung).
	now = now.Add(upGrace)
	check("125 kb/s", 125_000, 0, 0, 0, true)

	// A middle layer (1280x720: 320x180, 640x360, 1280x720).
	s = &Layers{}
	for _, ly := range SimulcastLayers(1280, 720) {
		s.layers = append(s.layers, &layer{out: LayerOutput{Layer: ly}})
	}
	mid := s.layers[1]
	s.split(160_000+300_000, true, 30, now) // 640x360@30 needs 207 kb/s
	if mid.off.Load() {
		t.Fatal("the middle layer is off at 300 kb/s of its own")
	}
	now = now.Add(upGrace)
	s.split(160_000+150_000, true, 30, now)
	if !mid.off.Load() {
		t.Fatal("the middle layer is on at 150 kb/s of its own")
	}
	s.split(160_000+250_000, true, 30, now.Add(time.Second)) // above the way down, below the way up (311 kb/s)
	if !mid.off.Load() {
		t.Fatal("the middle layer came back below the way up")
	}
	s.split(160_000+350_000, true, 30, now.Add(time.Second))
	if mid.off.Load() {
		t.Fatal("the middle layer stayed off at 350 kb/s of its own")
	}
}
