package media

import (
	"context"
	"time"

	"github.com/pion/webrtc/v4"
	pionmedia "github.com/pion/webrtc/v4/pkg/media"

	"kaigi/media/pattern"
	"kaigi/media/tone"
	"kaigi/media/vpx"
)

// NewReplayLocal is a cheap synthetic publisher for load tests: it encodes
// two seconds of the test pattern and one second of tone once, then sends
// them in a loop, so a room full of publishers costs almost no CPU and
// every receiver gets exactly the same stream. Keyframe requests restart
// the loop at its keyframe. Muted, it sends silence as the encoder does
// (Opus DTX). Frame stamps repeat each loop, so receivers'
// gap and latency figures mean nothing for it. Rooms that take simulcast
// get its layers, each a loop of its own.
func NewReplayLocal(w, h, fps int, toneHz float64) (*Local, error) {
	video, err := encodeLoop(w, h, fps, 600, toneHz)
	if err != nil {
		return nil, err
	}
	// Its simulcast layers too, each a loop of its own (rooms that take
	// layers get them, as from a camera).
	layers := SimulcastLayers(w, h)
	var looped [][][]byte
	if len(layers) > 1 {
		for _, ly := range layers {
			loop, err := encodeLoop(ly.Width, ly.Height, fps, ly.MaxBitrate/1000, toneHz)
			if err != nil {
				return nil, err
			}
			looped = append(looped, loop)
		}
	}
	oenc, err := newOpusEncoder()
	if err != nil {
		return nil, err
	}
	pcm := make([]int16, audioFrame)
	buf := make([]byte, 1500)
	var ph float64
	var audio [][]byte
	for i := 0; i < 50; i++ {
		tone.Fill(pcm, toneHz, 0.316*32767, &ph)
		n, err := oenc.Encode(pcm, buf)
		if err != nil {
			return nil, err
		}
		audio = append(audio, append([]byte(nil), buf[:n]...))
	}
	// And what the encoder sends for silence once DTX has set in (a
	// frame every 400 ms; the one-byte frames between are not sent):
	// sent while muted, as NewLocal's sound is.
	clear(pcm)
	var quiet []byte
	for i := 0; i < 30; i++ {
		n, err := oenc.Encode(pcm, buf)
		if err != nil {
			return nil, err
		}
		if n > 2 {
			quiet = append(quiet[:0], buf[:n]...)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	l := &Local{cancel: cancel, looped: looped, quiet: quiet}
	if looped != nil {
		l.simulcast = layers
	}
	stream := "kaigi-" + randomID()
	if l.video, err = webrtc.NewTrackLocalStaticSample(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000}, "video", stream); err != nil {
		cancel()
		return nil, err
	}
	if l.audio, err = webrtc.NewTrackLocalStaticSample(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2}, "audio", stream); err != nil {
		cancel()
		return nil, err
	}
	l.wg.Add(2)
	go l.replay(ctx, l.video, video, time.Second/time.Duration(fps), true)
	go l.replay(ctx, l.audio, audio, 20*time.Millisecond, false)
	return l, nil
}

// dtxEvery is how often, in 20 ms frames, Opus DTX sends a frame of
// silence.
const dtxEvery = 20

func (l *Local) replay(ctx context.Context, track *webrtc.TrackLocalStaticSample, samples [][]byte, period time.Duration, video bool) {
	defer l.wg.Done()
	t := time.NewTicker(period)
	defer t.Stop()
	// The RTP time runs on while nothing is sent, as a camera's and a
	// microphone's do: a server relates simulcast layers by their sender
	// reports, and a layer whose time fell behind while it rested could
	// not be switched to or from. skipped counts the frames not sent,
	// rested those of each layer.
	skipped := 0
	var rested []int
	for i := 0; ; i = (i + 1) % len(samples) {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if video {
			key := l.keyframe.Swap(false)
			if ls := l.layers.Load(); ls != nil {
				for _, ly := range ls.layers {
					key = ly.keyframe.Swap(false) || key
				}
			}
			if key {
				i = 0
			}
			if l.videoMuted.Load() {
				skipped++
				continue
			}
		} else if l.audioMuted.Load() {
			// Silence: a DTX frame every 400 ms.
			if skipped++; skipped < dtxEvery || l.quiet == nil {
				continue
			}
			if err := track.WriteSample(pionmedia.Sample{Data: l.quiet, Duration: time.Duration(skipped) * period}); err != nil {
				l.fail(err)
			}
			skipped = 0
			l.audioPackets.Add(1)
			continue
		}
		if ls := l.layers.Load(); video && ls != nil {
			// Sent as layers: each its own loop, at the same place.
			if len(rested) != len(ls.layers) {
				rested = make([]int, len(ls.layers))
			}
			for k, ly := range ls.layers {
				if ly.out.Paused != nil && ly.out.Paused() {
					rested[k]++
					continue
				}
				if err := ly.out.Write(l.looped[k][i], time.Duration(skipped+rested[k]+1)*period); err != nil {
					l.fail(err)
				}
				rested[k] = 0
				ly.frames.Add(1)
			}
		} else if err := track.WriteSample(pionmedia.Sample{Data: samples[i], Duration: time.Duration(skipped+1) * period}); err != nil {
			l.fail(err)
		}
		skipped = 0
		if video {
			l.videoFrames.Add(1)
			l.videoBytes.Add(int64(len(samples[i])))
		} else {
			l.audioPackets.Add(1)
		}
	}
}

// encodeLoop encodes two seconds of the test pattern at w x h, the first
// picture a keyframe.
func encodeLoop(w, h, fps, kbps int, toneHz float64) ([][]byte, error) {
	enc, err := vpx.NewEncoder(vpx.EncoderConfig{Width: w, Height: h, FPS: fps, BitrateKbps: kbps})
	if err != nil {
		return nil, err
	}
	defer enc.Close()
	frame := make([]byte, w*h*3/2)
	var loop [][]byte
	for n := 0; n < 2*fps; n++ {
		pattern.Draw(frame, w, h, uint32(n), uint8(int(toneHz)*37), pattern.Stamp{Counter: uint32(n)})
		data, _, err := enc.Encode(frame, n == 0)
		if err != nil {
			return nil, err
		}
		loop = append(loop, append([]byte(nil), data...))
	}
	return loop, nil
}
