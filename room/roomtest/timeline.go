package roomtest

import (
	"math"
	"time"

	"kaigi/media"
)

// Sample is what a receiver had from one publisher at one moment
// (media.PeerStats, sampled).
type Sample struct {
	At            time.Duration // since the first picture
	Frames, Audio int           // decoded pictures; audio packets decoded or rebuilt by FEC
	Recovered     int           // audio packets rebuilt by FEC
	Span          int           // 20 ms frames the sender's timestamps span
	Concealed     int           // audio frames made up
	ToneHz        float64
	Width, Height int // of the last picture
}

// SampleOf is what p says at at.
func SampleOf(p media.PeerStats, at time.Duration) Sample {
	return Sample{At: at, Frames: p.VideoFrames, Audio: p.AudioPackets + p.Recovered, Recovered: p.Recovered, Span: p.AudioSpan,
		Concealed: p.Concealed, ToneHz: p.ToneHz, Width: p.Width, Height: p.Height}
}

// Timeline is a receiver's view of one publisher, sampled (every 50 ms
// in the network tests).
type Timeline []Sample

// Between is the first sample at or after from and the last before to.
func (tl Timeline) Between(from, to time.Duration) (a, b Sample, in []Sample) {
	for _, s := range tl {
		if s.At >= from && s.At <= to {
			in = append(in, s)
		}
	}
	if len(in) == 0 {
		return Sample{}, Sample{}, nil
	}
	return in[0], in[len(in)-1], in
}

// Window sums up [from, to]: pictures per second, the longest time
// without a new picture, the share of the audio packets sent (by their
// timestamps: 50 a second) that were decoded, and the share of quarter
// seconds in which new sound carrying the tone arrived.
func (tl Timeline) Window(from, to time.Duration) (fps float64, gap time.Duration, audio, tone float64) {
	a, b, in := tl.Between(from, to)
	if len(in) < 2 {
		return 0, to - from, 0, 0
	}
	secs := (b.At - a.At).Seconds()
	fps = float64(b.Frames-a.Frames) / secs
	audio = float64(b.Audio-a.Audio) / float64(max(b.Span-a.Span, 1))
	last := a
	for _, s := range in[1:] {
		if s.Frames > last.Frames {
			gap = max(gap, s.At-last.At)
			last = s
		}
	}
	gap = max(gap, b.At-last.At)
	quarters, toned := 0, 0
	prev := a
	for _, s := range in[1:] {
		if s.At-prev.At < 250*time.Millisecond {
			continue
		}
		quarters++
		if s.Audio > prev.Audio && math.Abs(s.ToneHz-440) < 5 {
			toned++
		}
		prev = s
	}
	return fps, gap, audio, float64(toned) / float64(max(quarters, 1))
}

// FirstAfter is how long after `after` the receiver got new pictures and
// new sound.
func (tl Timeline) FirstAfter(after time.Duration) (video, audio time.Duration) {
	video, audio = -1, -1
	var base *Sample
	for i, s := range tl {
		if s.At < after {
			continue
		}
		if base == nil {
			base = &tl[i]
			continue
		}
		if video < 0 && s.Frames > base.Frames {
			video = s.At - after
		}
		if audio < 0 && s.Audio > base.Audio {
			audio = s.At - after
		}
	}
	return video, audio
}
