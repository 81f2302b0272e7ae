package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/webrtc/v4"
	pionmedia "github.com/pion/webrtc/v4/pkg/media"

	"kaigi/media/vpx"
)

// ShareConfig sets up a screen share.
type ShareConfig struct {
	// Source is the screen or window (media/screen's Capture), or any
	// video source; Share owns it from then on.
	Source VideoSource
	// Bitrate is the start target in bits per second (0: 1.2 Mb/s);
	// congestion control moves it (SetVideoBitrate).
	Bitrate int
	// Speed is VP8's cpu-used (0: the default for screens).
	Speed int
}

// ShareStats counts what a share sent.
type ShareStats struct {
	Frames     int
	Bytes      int64
	Keyframes  int
	FirstFrame time.Time // when the first frame was sent
}

// Share is a screen share we publish: a second VP8 track beside the
// camera, encoded for text (libvpx's screen-content mode, large
// keyframes) at the source's size and rate. It implements room.ShareMedia.
type Share struct {
	track *webrtc.TrackLocalStaticSample
	src   VideoSource

	keyframe atomic.Bool
	bitrate  atomic.Int64

	frames, keyframes atomic.Int64
	bytes             atomic.Int64
	first             atomic.Pointer[time.Time]

	cancel context.CancelFunc
	done   chan struct{}
	mu     sync.Mutex
	err    error
}

// Bounds of a share's bitrate: text stays readable at the low end for a
// still page (few frames change), and the top is what a 1080p screen in
// motion can use.
const (
	shareMinBitrate   = 150_000
	shareMaxBitrate   = 3_000_000
	shareStartBitrate = 1_200_000
)

// shareSpeed is VP8's cpu-used for screens: a fixed speed (the camera's
// adaptive -8 slowed to 250 ms a 1080p frame on a busy machine); 8 made
// the smallest frames of 4, 8, 12 and 16 at 11–19 ms a frame.
const shareSpeed = 8

// NewShare starts encoding a screen share.
func NewShare(cfg ShareConfig) (*Share, error) {
	if cfg.Source == nil {
		return nil, errors.New("media: a share needs a source")
	}
	if cfg.Bitrate <= 0 {
		cfg.Bitrate = shareStartBitrate
	}
	if cfg.Speed == 0 {
		cfg.Speed = shareSpeed
	}
	w, h := cfg.Source.Size()
	// One thread: measured here on a 1080p page of text, libvpx's second
	// thread took the CPU per frame from 19 ms to 70 ms (it waits by
	// spinning, and the machine was busy), and 5–15 fps leave one
	// thread time enough.
	enc, err := vpx.NewEncoder(vpx.EncoderConfig{Width: w, Height: h, FPS: cfg.Source.FPS(), BitrateKbps: cfg.Bitrate / 1000,
		Threads: 1, Speed: cfg.Speed, ScreenContent: true})
	if err != nil {
		cfg.Source.Close()
		return nil, err
	}
	track, err := webrtc.NewTrackLocalStaticSample(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000},
		"screen", "kaigi-screen-"+randomID())
	if err != nil {
		enc.Close()
		cfg.Source.Close()
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Share{track: track, src: cfg.Source, cancel: cancel, done: make(chan struct{})}
	s.bitrate.Store(int64(cfg.Bitrate))
	s.keyframe.Store(true)
	go s.run(ctx, enc, w, h)
	return s, nil
}

// shareRefresh is how often a screen that does not change is sent
// anyway: receivers that missed a frame get the picture again.
const shareRefresh = time.Second

func (s *Share) run(ctx context.Context, enc *vpx.Encoder, w, h int) {
	defer close(s.done)
	defer enc.Close()
	frame := make([]byte, w*h*3/2)
	prev := make([]byte, w*h*3/2)
	rate := s.bitrate.Load()
	last := time.Now()
	// Keyframes again shortly after the start: receivers that subscribe
	// once the share is announced missed the first, and asking for one
	// takes them a round trip through the server.
	start, early := last, []time.Duration{400 * time.Millisecond, 900 * time.Millisecond}
	for {
		if err := s.src.ReadFrame(ctx, frame); err != nil {
			if ctx.Err() == nil {
				s.setErr(err)
			}
			return
		}
		now := time.Now()
		if len(early) > 0 && now.Sub(start) >= early[0] {
			early = early[1:]
			s.keyframe.Store(true)
		}
		// A screen mostly stands still: a frame like the last one sent
		// is not encoded at all (the receiver keeps showing the last),
		// which is most of the cost of sharing.
		if bytes.Equal(frame, prev) && now.Sub(last) < shareRefresh && !s.keyframe.Load() {
			continue
		}
		copy(prev, frame)
		dur := now.Sub(last)
		last = now
		if r := s.bitrate.Load(); r != rate {
			rate = r
			if err := enc.SetBitrate(int(r / 1000)); err != nil {
				s.setErr(err)
				return
			}
		}
		data, isKey, err := enc.Encode(frame, s.keyframe.Swap(false))
		if err != nil {
			s.setErr(err)
			return
		}
		if len(data) == 0 {
			continue
		}
		if err := s.track.WriteSample(pionmedia.Sample{Data: data, Duration: dur}); err != nil {
			s.setErr(fmt.Errorf("share: %w", err))
			return
		}
		if s.frames.Add(1) == 1 {
			s.first.Store(&now)
		}
		s.bytes.Add(int64(len(data)))
		if isKey {
			s.keyframes.Add(1)
		}
	}
}

func (s *Share) setErr(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == nil {
		s.err = err
	}
}

// VideoTrack is the share's VP8 track.
func (s *Share) VideoTrack() webrtc.TrackLocal { return s.track }

// RequestKeyframe makes the next frame a keyframe.
func (s *Share) RequestKeyframe() { s.keyframe.Store(true) }

// SetVideoBitrate sets the target in bits per second.
func (s *Share) SetVideoBitrate(bps int) {
	s.bitrate.Store(int64(max(shareMinBitrate, min(bps, shareMaxBitrate))))
}

// Bitrate is the current target in bits per second.
func (s *Share) Bitrate() int { return int(s.bitrate.Load()) }

// Done is closed when the share stops sending: closed, or its source
// ended (a shared window that closed: Err says so).
func (s *Share) Done() <-chan struct{} { return s.done }

// Err is why the share stopped by itself (nil while it runs, and after
// Close).
func (s *Share) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Stats counts what was sent.
func (s *Share) Stats() ShareStats {
	st := ShareStats{Frames: int(s.frames.Load()), Bytes: s.bytes.Load(), Keyframes: int(s.keyframes.Load())}
	if t := s.first.Load(); t != nil {
		st.FirstFrame = *t
	}
	return st
}

// Close stops capture and encoding; the goroutine has ended when it
// returns.
func (s *Share) Close() error {
	s.cancel()
	err := s.src.Close()
	<-s.done
	return err
}
