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
// the loop at its keyframe. Frame stamps repeat each loop, so receivers'
// gap and latency figures mean nothing for it.
func NewReplayLocal(w, h, fps int, toneHz float64) (*Local, error) {
	enc, err := vpx.NewEncoder(vpx.EncoderConfig{Width: w, Height: h, FPS: fps, BitrateKbps: 600})
	if err != nil {
		return nil, err
	}
	frame := make([]byte, w*h*3/2)
	var video [][]byte
	for n := 0; n < 2*fps; n++ {
		pattern.Draw(frame, w, h, uint32(n), uint8(int(toneHz)*37), pattern.Stamp{Counter: uint32(n)})
		data, _, err := enc.Encode(frame, n == 0)
		if err != nil {
			enc.Close()
			return nil, err
		}
		video = append(video, append([]byte(nil), data...))
	}
	enc.Close()
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
	ctx, cancel := context.WithCancel(context.Background())
	l := &Local{cancel: cancel}
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

func (l *Local) replay(ctx context.Context, track *webrtc.TrackLocalStaticSample, samples [][]byte, period time.Duration, video bool) {
	defer l.wg.Done()
	t := time.NewTicker(period)
	defer t.Stop()
	for i := 0; ; i = (i + 1) % len(samples) {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if video {
			if l.keyframe.Swap(false) {
				i = 0
			}
			if l.videoMuted.Load() {
				continue
			}
		} else if l.audioMuted.Load() {
			continue
		}
		if err := track.WriteSample(pionmedia.Sample{Data: samples[i], Duration: period}); err != nil {
			l.fail(err)
		}
		if video {
			l.videoFrames.Add(1)
			l.videoBytes.Add(int64(len(samples[i])))
		} else {
			l.audioPackets.Add(1)
		}
	}
}
