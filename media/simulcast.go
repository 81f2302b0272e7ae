package media

import (
	"sync"
	"sync/atomic"
	"time"

	"kaigi/media/vpx"
	"kaigi/media/yuv"
)

// Layer is one simulcast encoding of the camera: its size and the most
// it sends, bits per second.
type Layer struct {
	Width, Height int
	MaxBitrate    int
}

// SimulcastLayers are the layers livekit-client publishes a camera of
// w x h as (its presetsForResolution and defaultSimulcastLayers), lowest
// first: the camera itself at its preset's bitrate, a 180-line layer
// below it, and a 360-line one in between from 960 pixels wide up. A
// camera too small for a layer below it gets that one layer.
func SimulcastLayers(w, h int) []Layer {
	wide := w*9 > h*15 // nearer 16:9 than 4:3
	scaled := func(lines, bitrate int) Layer {
		lw := lines * 4 / 3
		if wide {
			lw = lines * 16 / 9
		}
		if w < h { // portrait
			lw, lines = lines, lw
		}
		return Layer{Width: lw &^ 1, Height: lines &^ 1, MaxBitrate: bitrate}
	}
	top := Layer{Width: w &^ 1, Height: h &^ 1, MaxBitrate: cameraBitrate(w, h, wide)}
	low, mid := scaled(180, 125_000), scaled(360, 330_000)
	if wide {
		low.MaxBitrate, mid.MaxBitrate = 160_000, 450_000
	}
	switch size := max(w, h); {
	case size >= 960:
		return []Layer{low, mid, top}
	case size >= 480:
		return []Layer{low, top}
	}
	return []Layer{top}
}

// cameraBitrate is livekit-client's preset bitrate for the camera's own
// size (the smallest preset at least as large).
func cameraBitrate(w, h int, wide bool) int {
	type preset struct{ w, h, bitrate int }
	presets := []preset{{160, 120, 70_000}, {240, 180, 125_000}, {320, 240, 140_000}, {480, 360, 330_000},
		{640, 480, 500_000}, {720, 540, 600_000}, {960, 720, 1_300_000}, {1440, 1080, 2_300_000}, {1920, 1440, 3_800_000}}
	if wide {
		presets = []preset{{160, 90, 90_000}, {320, 180, 160_000}, {480, 270, 300_000}, {640, 360, 450_000},
			{960, 540, 800_000}, {1280, 720, 1_700_000}, {1920, 1080, 3_000_000}, {2560, 1440, 5_000_000}, {3840, 2160, 8_000_000}}
	}
	long, short := max(w, h), min(w, h)
	for _, p := range presets {
		if p.w >= long && p.h >= short {
			return p.bitrate
		}
	}
	return presets[len(presets)-1].bitrate
}

// SimulcastLayers are the layers a room that takes simulcast should
// publish the camera as (lowest first): nil without a camera, with
// NoSimulcast, or for a camera too small for more than one.
func (l *Local) SimulcastLayers() []Layer {
	if len(l.simulcast) < 2 {
		return nil
	}
	return l.simulcast
}

// Layered media can send the camera as simulcast layers (Local can):
// the rooms that take layers ask for them through this.
type Layered interface {
	SimulcastLayers() []Layer
	SendLayers(outs []LayerOutput) *Layers
}

// LayerOutput is where one layer's frames go: Write takes an encoded VP8
// frame and the time since the layer's previous one; Paused (nil: never)
// says that nobody receives the layer, and its encoder then rests.
type LayerOutput struct {
	Layer
	Write  func(frame []byte, d time.Duration) error
	Paused func() bool
}

// LayerStats counts what one layer sent.
type LayerStats struct {
	Layer
	Frames int
	// Paused: nobody receives the layer; Off: the bandwidth estimate
	// leaves nothing for it (a layer above the lowest yields first).
	Paused, Off bool
	Target      int // its share of the video budget, bits per second
}

// Layers is the camera sent as simulcast layers (Local.SendLayers).
type Layers struct {
	l      *Local
	layers []*layer
	mu     sync.Mutex // held while a frame is encoded, and by Stop
	done   bool
}

type layer struct {
	out      LayerOutput
	enc      *vpx.Encoder
	rate     int // the encoder's bitrate now
	keyframe atomic.Bool
	frames   atomic.Int64
	paused   atomic.Bool
	off      atomic.Bool
	changed  time.Time // when off last changed
	// The top layer steps down the ladder (adapt.go) on its share of
	// the budget rather than stopping: a server that forwards it goes
	// on forwarding, smaller and slower, and only its last rung is off.
	ad     *adapter
	rung   rung
	n      int // camera frames since the rung began
	target atomic.Int64
	last   time.Time
	scaled []byte
}

// SendLayers sends the camera as the layers outs (lowest first) instead
// of through VideoTrack, until Stop: one capture scaled to each layer's
// size, one encoder per layer. The first frame of each is a keyframe.
func (l *Local) SendLayers(outs []LayerOutput) *Layers {
	s := &Layers{l: l}
	for _, o := range outs {
		ly := &layer{out: o}
		ly.keyframe.Store(true)
		s.layers = append(s.layers, ly)
	}
	l.layers.Store(s)
	return s
}

// RequestKeyframe makes layer i's next frame a keyframe.
func (s *Layers) RequestKeyframe(i int) {
	if i >= 0 && i < len(s.layers) {
		s.layers[i].keyframe.Store(true)
	}
}

// Stats counts what each layer sent, lowest first.
func (s *Layers) Stats() []LayerStats {
	st := make([]LayerStats, len(s.layers))
	for i, ly := range s.layers {
		st[i] = LayerStats{Layer: ly.out.Layer, Frames: int(ly.frames.Load()), Paused: ly.paused.Load(),
			Off: ly.off.Load(), Target: int(ly.target.Load())}
	}
	return st
}

// Stop ends sending the layers (the camera goes back to VideoTrack) and
// frees their encoders.
func (s *Layers) Stop() {
	s.l.layers.CompareAndSwap(s, nil)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.done = true
	for _, ly := range s.layers {
		if ly.enc != nil {
			ly.enc.Close()
			ly.enc = nil
		}
	}
}

// split shares the video budget among the layers, lowest first, each up
// to its MaxBitrate: when the budget falls, the highest layer yields
// first. The top layer goes down its ladder (topLadder: 3/4 of its
// size, then off) on what is left for it; a layer between the lowest
// and the top is turned off when its share would be below what its size
// needs (downBitsPerPixel), unless it came back less than upGrace ago,
// and back on when its share reaches upBitsPerPixel or after pausedProbe
// off: congestion control's estimate follows what is sent, so without
// that probe a layer once off would never return. Without an estimate
// every layer gets its MaxBitrate at its full size. A budget of 0 is a
// stall (see adapter.update): only the lowest layer goes on, at 30 kb/s.
func (s *Layers) split(budget int, estimated bool, fps int, now time.Time) {
	left := budget
	top := len(s.layers) - 1
	for i, ly := range s.layers {
		want := ly.out.MaxBitrate
		if i == top && ly.ad == nil {
			ly.ad, ly.rung = newAdapter(ly.out.Width, ly.out.Height, fps), videoLadder[0]
			ly.ad.ladder = topLadder
		}
		if !estimated {
			ly.target.Store(int64(want))
			ly.off.Store(false)
			continue
		}
		share := min(want, left)
		switch {
		case i == top && i > 0:
			// Nothing left for the top is not a stall (a budget of 0):
			// it goes down its ladder, to off.
			if budget > 0 {
				share = max(share, 1)
			}
			if r := ly.ad.update(share, now); r != ly.rung {
				ly.rung, ly.n = r, 0
			}
			// Off on its ladder's last rung, and while the link is
			// silent (a stall: no budget at all), when the lowest
			// layer alone keeps a picture going; the adapter remembers
			// the rung to go back to.
			ly.off.Store(ly.rung.step == 0 || budget <= 0)
		case i > 0 && budget <= 0:
			ly.off.Store(true)
			ly.changed = now
		case i > 0:
			px := float64(ly.out.Width*ly.out.Height) * float64(fps)
			down, up := min(int(downBitsPerPixel*px), want), min(int(upBitsPerPixel*px), want)
			switch off := ly.off.Load(); {
			case !off && share < down && now.Sub(ly.changed) >= upGrace:
				ly.off.Store(true)
				ly.changed = now
			case off && (share >= up || now.Sub(ly.changed) >= pausedProbe):
				ly.off.Store(false)
				ly.changed = now
			}
			share = max(share, down)
		}
		if ly.off.Load() {
			ly.target.Store(0)
			continue
		}
		share = max(share, 30_000)
		ly.target.Store(int64(share))
		left -= share
	}
}

// size is what the layer sends now: its own size, or for the top layer
// its rung's, and every how many camera frames it sends one.
func (ly *layer) size() (w, h, step int) {
	r := ly.rung
	if r.step == 0 {
		r = videoLadder[0]
	}
	return (ly.out.Width * r.num / r.den) &^ 1, (ly.out.Height * r.num / r.den) &^ 1, r.step
}

// encode sends one camera frame (w x h I420) on every layer that is
// received and has bandwidth. allKey asks every layer for a keyframe.
func (s *Layers) encode(frame []byte, w, h, fps int, now time.Time, budget int, estimated, allKey bool, c vpx.EncoderConfig) (sent int, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return 0, nil
	}
	s.split(budget, estimated, fps, now)
	src := yuv.FromI420(frame, w, h)
	for _, ly := range s.layers {
		if allKey {
			ly.keyframe.Store(true)
		}
		paused := ly.out.Paused != nil && ly.out.Paused()
		ly.paused.Store(paused)
		if paused || ly.off.Load() {
			// A layer coming back starts with a keyframe: a receiver
			// switched to it cannot decode anything else.
			ly.keyframe.Store(true)
			continue
		}
		lw, lh, step := ly.size()
		if ly.n++; (ly.n-1)%step != 0 {
			continue // this rung sends every step-th frame
		}
		target := int(ly.target.Load())
		if ly.enc != nil && ly.enc.FrameSize() != lw*lh*3/2 {
			// A new rung: a new encoder, whose first frame is a keyframe.
			ly.enc.Close()
			ly.enc = nil
		}
		if ly.enc == nil {
			var err error
			ly.enc, err = newVideoEncoder(vpx.EncoderConfig{Width: lw, Height: lh, FPS: max(1, fps/step),
				BitrateKbps: target / 1000, Threads: c.Threads, Speed: c.Speed})
			if err != nil {
				return sent, err
			}
			ly.rate = target
		}
		if target != ly.rate {
			ly.rate = target
			if err := ly.enc.SetBitrate(target / 1000); err != nil {
				return sent, err
			}
		}
		in := frame
		if lw != w || lh != h {
			if len(ly.scaled) != lw*lh*3/2 {
				ly.scaled = make([]byte, lw*lh*3/2)
			}
			yuv.Scale(yuv.FromI420(ly.scaled, lw, lh), src)
			in = ly.scaled
		}
		data, _, err := ly.enc.Encode(in, ly.keyframe.Swap(false))
		if err != nil {
			return sent, err
		}
		if len(data) == 0 {
			continue
		}
		d := time.Second / time.Duration(max(1, fps))
		if !ly.last.IsZero() {
			d = now.Sub(ly.last)
		}
		ly.last = now
		if err := ly.out.Write(data, d); err != nil {
			return sent, err
		}
		ly.frames.Add(1)
		sent += len(data)
	}
	return sent, nil
}

// LayerStats counts what each simulcast layer sent, lowest first (nil
// while the camera is sent as one layer).
func (l *Local) LayerStats() []LayerStats {
	if ls := l.layers.Load(); ls != nil {
		return ls.Stats()
	}
	return nil
}
