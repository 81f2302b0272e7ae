package media

import (
	"context"
	"errors"
	"fmt"
	"image"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
	pionmedia "github.com/pion/webrtc/v4/pkg/media"
	"gopkg.in/hraban/opus.v2"

	"kaigi/media/pattern"
	"kaigi/media/tone"
	"kaigi/media/vpx"
	"kaigi/media/yuv"
)

// VideoSource is a camera: ReadFrame blocks until the next picture and
// writes it into dst as I420 (w*h*3/2 bytes).
type VideoSource interface {
	Size() (w, h int)
	FPS() int
	ReadFrame(ctx context.Context, dst []byte) error
	Close() error
}

// AudioSource is a microphone: ReadAudio blocks until len(pcm) samples
// (mono, 48 kHz) are there.
type AudioSource interface {
	ReadAudio(ctx context.Context, pcm []int16) error
	Close() error
}

// VideoSink receives pictures, newest only: a sink that is slower than the
// frame rate simply misses frames. It owns img after the call; to spare
// allocations it may return a picture it no longer shows (of any size),
// which the caller reuses.
type VideoSink interface {
	SetFrame(img *image.RGBA) (reuse *image.RGBA)
}

// ScaledSink is a VideoSink that may say it is shown small: Scale n > 1
// asks for pictures at 1/n of their width and height, converted for 1/n²
// of the cost.
type ScaledSink interface {
	VideoSink
	Scale() int
}

// scaleOf is the sink's wish, within 1..4.
func scaleOf(s VideoSink) int {
	if ss, ok := s.(ScaledSink); ok {
		return max(1, min(4, ss.Scale()))
	}
	return 1
}

// LocalConfig sets up what we send.
type LocalConfig struct {
	Video        VideoSource // nil: no camera
	Audio        AudioSource // nil: no microphone
	VideoBitrate int         // start target, bits per second (0: 800 kb/s)
	// EncoderThreads and EncoderSpeed tune VP8 (0: defaults for the size).
	EncoderThreads int
	EncoderSpeed   int
	// Processing, when set, cleans the microphone's sound before it is
	// encoded (echo, noise, level); the meter shows the result.
	Processing *Processing
	// NoAdaptation sends as if the network were perfect: the camera at
	// its own size and rate and at VideoBitrate whatever congestion
	// control says, and Opus without in-band FEC (comparisons, and tests
	// that must be able to fail).
	NoAdaptation bool
	// NoSimulcast publishes the camera as one layer where a room would
	// take layers (comparisons, and tests that must be able to fail).
	NoSimulcast bool
}

// LocalStats counts what was sent.
type LocalStats struct {
	VideoFrames  int
	AudioPackets int
	VideoBytes   int64
	Keyframes    int
	// What the video is sent as now: its size and frame rate (all 0
	// while it is paused for want of bandwidth), and how many times it
	// was paused.
	VideoWidth, VideoHeight, VideoFPS int
	VideoPaused                       bool
	VideoPauses                       int
	// Stalls counts the times congestion control said the link had
	// gone silent (SetVideoBitrate(0)).
	Stalls int
	// VideoTarget is the video's bitrate budget now, bits per second.
	VideoTarget int
}

// Local is what we publish: a VP8 and an Opus track fed by a camera and a
// microphone (or synthetic sources). The tracks can be added to several
// PeerConnections. Rooms read RTCP from their senders and call
// RequestKeyframe on PLI or FIR, and SetVideoBitrate with congestion
// control's estimate: the video takes what the sound leaves of it, and
// below thresholds steps down in size and frame rate, then pauses
// (videoLadder), coming back up as the estimate allows.
type Local struct {
	video *webrtc.TrackLocalStaticSample
	audio *webrtc.TrackLocalStaticSample
	// red is the same sound as RED (red.go), for rooms that take it.
	red *webrtc.TrackLocalStaticRTP

	keyframe   atomic.Bool
	bitrate    atomic.Int64 // the video's budget, bits per second
	estimate   atomic.Int64 // congestion control's last estimate (0: none yet)
	redDepth   atomic.Int32 // earlier frames each RED packet carries
	estimated  atomic.Bool  // congestion control has spoken
	stalled    atomic.Bool  // congestion control says the link is silent
	stalls     atomic.Int64
	audioLoss  atomic.Uint64 // float64 bits: the loss receivers report on our audio, smoothed
	noAdapt    bool
	simulcast  []Layer    // what SimulcastLayers offers
	looped     [][][]byte // a replay's loop of each layer (replay.go)
	quiet      []byte     // a replay's frame of silence, sent while muted (replay.go)
	audioMuted atomic.Bool
	videoMuted atomic.Bool
	level      atomic.Uint64 // float64 bits
	preview    atomic.Pointer[sinkBox]
	// layers, while set, takes the camera's frames instead of video
	// (simulcast.go).
	layers atomic.Pointer[Layers]

	videoFrames, audioPackets, keyframes atomic.Int64
	videoBytes                           atomic.Int64
	videoPauses                          atomic.Int64
	paused                               atomic.Bool
	sending                              atomic.Uint64 // width<<32 | height<<16 | fps of what is sent

	cancel context.CancelFunc
	wg     sync.WaitGroup
	errMu  sync.Mutex
	err    error
	// camDown and micDown say why a device stopped, until another is
	// put in its place (nil while it works).
	camDown, micDown error

	srcMu    sync.Mutex
	videoSrc VideoSource
	audioSrc AudioSource
}

type sinkBox struct{ s VideoSink }

// ErrNoMedia: neither a camera nor a microphone was given.
var ErrNoMedia = errors.New("media: nothing to send")

// A device that stops mid-call (unplugged, taken by another program): the
// track it fed stops, the others go on. See Local.Failed.
var (
	ErrCameraStopped     = errors.New("media: the camera stopped")
	ErrMicrophoneStopped = errors.New("media: the microphone stopped")
)

// NewLocal starts capturing and encoding. It owns the sources from then
// on: Close closes them, and so does a failing NewLocal.
func NewLocal(cfg LocalConfig) (*Local, error) {
	if cfg.Video == nil && cfg.Audio == nil {
		return nil, ErrNoMedia
	}
	ctx, cancel := context.WithCancel(context.Background())
	// The sources are set before any goroutine that reads them starts.
	l := &Local{cancel: cancel, videoSrc: cfg.Video, audioSrc: cfg.Audio, noAdapt: cfg.NoAdaptation}
	if cfg.VideoBitrate <= 0 {
		cfg.VideoBitrate = 800_000
	}
	l.bitrate.Store(int64(cfg.VideoBitrate))
	stream := "kaigi-" + randomID()
	if cfg.Video != nil {
		w, h := cfg.Video.Size()
		ec := vpx.EncoderConfig{Width: w, Height: h, FPS: cfg.Video.FPS(), BitrateKbps: cfg.VideoBitrate / 1000,
			Threads: cfg.EncoderThreads, Speed: cfg.EncoderSpeed}
		// The camera's own size is tried now, so that a failure is the
		// caller's; the loop makes the encoders of other sizes itself.
		enc, err := newVideoEncoder(ec)
		if err != nil {
			l.Close()
			return nil, err
		}
		l.video, err = webrtc.NewTrackLocalStaticSample(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000}, "video", stream)
		if err != nil {
			enc.Close()
			l.Close()
			return nil, err
		}
		if !cfg.NoSimulcast {
			l.simulcast = SimulcastLayers(w, h)
		}
		l.wg.Add(1)
		go l.runVideo(ctx, enc, ec)
	}
	if cfg.Audio != nil {
		enc, err := newOpusEncoder()
		if err == nil && cfg.NoAdaptation {
			err = enc.SetInBandFEC(false)
		}
		if err != nil {
			l.Close()
			return nil, err
		}
		l.audioLoss.Store(math.Float64bits(defaultAudioLoss))
		l.audio, err = webrtc.NewTrackLocalStaticSample(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2}, "audio", stream)
		if err == nil && !cfg.NoAdaptation {
			l.red, err = webrtc.NewTrackLocalStaticRTP(REDCodec, "audio", stream)
		}
		if err != nil {
			l.Close()
			return nil, err
		}
		l.wg.Add(1)
		go l.runAudio(ctx, enc, cfg.Processing)
	}
	return l, nil
}

// NewFakeLocal sends the synthetic pattern (w x h at fps, tinted by the
// tone so participants differ) and a tone of toneHz.
func NewFakeLocal(w, h, fps int, toneHz float64) (*Local, error) {
	return NewLocal(LocalConfig{
		Video: pattern.NewSource(w, h, fps, uint8(int(toneHz)*37)),
		Audio: tone.NewSource(toneHz),
	})
}

func newOpusEncoder() (*opus.Encoder, error) {
	enc, err := opus.NewEncoder(tone.Rate, 1, opus.AppVoIP)
	if err != nil {
		return nil, fmt.Errorf("opus encoder: %w", err)
	}
	// In-band FEC lets a receiver rebuild a lost packet from the next one;
	// DTX sends almost nothing while silent or muted.
	for _, err := range []error{enc.SetBitrate(32000), enc.SetInBandFEC(true), enc.SetPacketLossPerc(lossPercent(defaultAudioLoss)), enc.SetDTX(true)} {
		if err != nil {
			return nil, fmt.Errorf("opus encoder: %w", err)
		}
	}
	return enc, nil
}

// defaultAudioLoss is what the Opus encoder expects until a receiver
// reports.
const defaultAudioLoss = 0.1

// lossPercent is the Opus encoder's expected loss for the loss receivers
// report: a little more than reported (reports lag, and losses come in
// bursts), at most 40 %.
func lossPercent(loss float64) int {
	return min(40, int(math.Ceil(loss*100*1.25)))
}

// SetAudioLoss takes the fraction of our audio packets a receiver says it
// lost (RTCP receiver reports): Opus's in-band FEC is sized by it. A rise
// is followed at once, a fall slowly (losses come and go in bursts).
func (l *Local) SetAudioLoss(fraction float64) {
	if l.noAdapt {
		return
	}
	old := math.Float64frombits(l.audioLoss.Load())
	l.audioLoss.Store(math.Float64bits(max(fraction, old*0.8)))
}

func (l *Local) fail(err error) {
	l.errMu.Lock()
	defer l.errMu.Unlock()
	switch {
	case errors.Is(err, ErrCameraStopped):
		l.camDown = err
	case errors.Is(err, ErrMicrophoneStopped):
		l.micDown = err
	}
	if l.err == nil {
		l.err = err
	}
}

func (l *Local) sources() (VideoSource, AudioSource) {
	l.srcMu.Lock()
	defer l.srcMu.Unlock()
	return l.videoSrc, l.audioSrc
}

// newVideoEncoder is a VP8 encoder for c's size, with one thread per
// core's worth of pixels unless c says.
func newVideoEncoder(c vpx.EncoderConfig) (*vpx.Encoder, error) {
	if c.Threads == 0 {
		c.Threads = 1
		if c.Width*c.Height >= 1280*720 {
			c.Threads = 2
		}
	}
	return vpx.NewEncoder(c)
}

// runVideo encodes the camera's frames. c is the camera's own encoding
// (size, rate, starting bitrate), enc an encoder for it; on a step of the
// ladder the encoder is replaced by one for the new size and rate (its
// first frame is a keyframe, which a receiver's decoder needs for the
// new size anyway).
func (l *Local) runVideo(ctx context.Context, enc *vpx.Encoder, c vpx.EncoderConfig) {
	defer l.wg.Done()
	defer func() {
		if enc != nil {
			enc.Close()
		}
	}()
	w, h := c.Width, c.Height
	frame := make([]byte, w*h*3/2)
	var scaled []byte
	rate := l.bitrate.Load()
	ad := newAdapter(w, h, c.FPS)
	cur := videoLadder[0]
	l.setSending(cur, w, h, c.FPS)
	var lastSent time.Time
	var n int // camera frames since the rung began
	var rgba *image.RGBA
	var conv yuv.Converter
	for {
		src, _ := l.sources()
		if err := src.ReadFrame(ctx, frame); err != nil {
			if ctx.Err() != nil {
				return
			}
			if now, _ := l.sources(); now != src {
				continue // switched to another camera
			}
			l.fail(fmt.Errorf("%w: %w", ErrCameraStopped, err))
			// The call goes on without video until another camera is chosen.
			if !l.waitForSwitch(ctx, func() bool { now, _ := l.sources(); return now == src }) {
				return
			}
			continue
		}
		now := time.Now()
		if lastSent.IsZero() {
			lastSent = now.Add(-time.Second / time.Duration(c.FPS))
		}
		if box := l.preview.Load(); box != nil {
			rgba = box.s.SetFrame(toSink(&conv, box.s, yuv.FromI420(frame, w, h), rgba))
		}
		if l.videoMuted.Load() {
			continue
		}
		if ls := l.layers.Load(); ls != nil {
			budget := int(l.bitrate.Load())
			if l.stalled.Load() {
				budget = 0 // a stall: only the lowest layer goes on
			}
			sent, err := ls.encode(frame, w, h, c.FPS, now, budget, !l.noAdapt && l.estimated.Load(),
				l.keyframe.Swap(false), c)
			if err != nil {
				l.fail(err)
				return
			}
			if sent > 0 {
				l.videoFrames.Add(1)
				l.videoBytes.Add(int64(sent))
			}
			continue
		}
		r := l.bitrate.Load()
		if !l.noAdapt && l.estimated.Load() {
			budget := int(r)
			if l.stalled.Load() {
				budget = 0
			}
			if next := ad.update(budget, now); next != cur {
				cur, n = next, 0
				l.setSending(cur, w, h, c.FPS)
				if enc != nil {
					enc.Close()
					enc = nil
				}
				if cur.step == 0 {
					l.videoPauses.Add(1)
				}
			}
		}
		if cur.step == 0 {
			continue // paused: the sound has what there is
		}
		n++
		if (n-1)%cur.step != 0 {
			continue // this rung sends every step-th frame
		}
		ew, eh := (w*cur.num/cur.den)&^1, (h*cur.num/cur.den)&^1
		if enc == nil {
			var err error
			enc, err = newVideoEncoder(vpx.EncoderConfig{Width: ew, Height: eh, FPS: max(1, c.FPS/cur.step),
				BitrateKbps: int(r / 1000), Threads: c.Threads, Speed: c.Speed})
			if err != nil {
				l.fail(err)
				return
			}
			rate = r
		}
		if r != rate {
			rate = r
			if err := enc.SetBitrate(int(r / 1000)); err != nil {
				l.fail(err)
			}
		}
		in := frame
		if ew != w || eh != h {
			if len(scaled) != ew*eh*3/2 {
				scaled = make([]byte, ew*eh*3/2)
			}
			scaleI420(frame, w, h, scaled, ew, eh)
			in = scaled
		}
		key := l.keyframe.Swap(false)
		data, isKey, err := enc.Encode(in, key)
		if err != nil {
			l.fail(err)
			return
		}
		if len(data) == 0 {
			continue
		}
		if err := l.video.WriteSample(pionmedia.Sample{Data: data, Duration: now.Sub(lastSent)}); err != nil {
			l.fail(err)
		}
		lastSent = now
		l.videoFrames.Add(1)
		l.videoBytes.Add(int64(len(data)))
		if isKey {
			l.keyframes.Add(1)
		}
	}
}

// setSending notes the size and rate rung r sends of a w x h camera at fps.
func (l *Local) setSending(r rung, w, h, fps int) {
	l.paused.Store(r.step == 0)
	if r.step == 0 {
		l.sending.Store(0)
		return
	}
	l.sending.Store(uint64((w*r.num/r.den)&^1)<<32 | uint64((h*r.num/r.den)&^1)<<16 | uint64(fps/r.step))
}

// audioFrame is 20 ms at 48 kHz.
const audioFrame = tone.Rate / 50

// delayedSource is a microphone that knows how long its samples waited.
type delayedSource interface {
	captureDelay() time.Duration
}

func (l *Local) runAudio(ctx context.Context, enc *opus.Encoder, proc *Processing) {
	defer l.wg.Done()
	pcm := make([]int16, audioFrame)
	silence := make([]int16, audioFrame)
	buf := make([]byte, 1500)
	var skipped time.Duration
	lossPerc := lossPercent(defaultAudioLoss)
	// RED's packets are ours to number; the last frame rides again in
	// the next packet.
	var redSeq uint16
	var redTS uint32
	var earlier []redBlock // the last frames sent, newest last, their offsets from the last
	var redBuf []byte
	depth := 1
	l.redDepth.Store(int32(depth))
	for {
		loss := math.Float64frombits(l.audioLoss.Load())
		if p := lossPercent(loss); p != lossPerc && !l.noAdapt {
			lossPerc = p
			if err := enc.SetPacketLossPerc(p); err != nil {
				l.fail(fmt.Errorf("opus: %w", err))
			}
		}
		// More redundancy only while it takes at most a quarter of the
		// estimate: on a narrow link the losses are the link's queue
		// overflowing, and more sound would only overflow it more.
		d := redDepth(loss, depth)
		for e := int(l.estimate.Load()); d > 1 && e > 0 && 4*audioReserve(d) > e; {
			d--
		}
		if d != depth && l.red != nil {
			depth = d
			l.redDepth.Store(int32(d))
			if l.estimated.Load() {
				l.updateBudget() // the video yields what the sound now takes
			}
		}
		_, src := l.sources()
		if err := src.ReadAudio(ctx, pcm); err != nil {
			if ctx.Err() != nil {
				return
			}
			if _, now := l.sources(); now != src {
				continue // switched to another microphone
			}
			l.fail(fmt.Errorf("%w: %w", ErrMicrophoneStopped, err))
			if !l.waitForSwitch(ctx, func() bool { _, now := l.sources(); return now == src }) {
				return
			}
			continue
		}
		if proc != nil {
			// Processed even while muted, so the echo canceller stays in
			// step with what is played.
			var delay time.Duration
			if d, ok := src.(delayedSource); ok {
				delay = d.captureDelay()
			}
			if err := proc.capture(pcm, delay); err != nil {
				l.fail(fmt.Errorf("audio processing: %w", err))
			}
		}
		in := pcm
		if l.audioMuted.Load() {
			in = silence
			l.level.Store(0)
		} else {
			l.level.Store(math.Float64bits(tone.Level(pcm)))
		}
		n, err := enc.Encode(in, buf)
		if err != nil {
			l.fail(fmt.Errorf("opus: %w", err))
			return
		}
		// DTX frames of one or two bytes need not be sent: the receiver
		// conceals the gap, and RTP time jumps over it.
		if n <= 2 {
			skipped += 20 * time.Millisecond
			continue
		}
		if err := l.audio.WriteSample(pionmedia.Sample{Data: buf[:n], Duration: 20*time.Millisecond + skipped}); err != nil {
			l.fail(err)
		}
		if l.red != nil {
			step := uint32((20*time.Millisecond + skipped) / (time.Second / tone.Rate))
			redTS += step
			for i := range earlier {
				earlier[i].offset += step
			}
			redBuf = appendRED(redBuf[:0], earlier[max(0, len(earlier)-depth):], buf[:n])
			redSeq++
			pkt := &rtp.Packet{Header: rtp.Header{Version: 2, SequenceNumber: redSeq, Timestamp: redTS, Marker: len(earlier) == 0}, Payload: redBuf}
			if err := l.red.WriteRTP(pkt); err != nil {
				l.fail(err)
			}
			// Keep the last maxREDDepth frames, reusing the oldest's
			// buffer for the newest.
			var old []byte
			if len(earlier) == maxREDDepth {
				old = earlier[0].data[:0]
				earlier = append(earlier[:0], earlier[1:]...)
			}
			earlier = append(earlier, redBlock{data: append(old, buf[:n]...)})
		}
		skipped = 0
		l.audioPackets.Add(1)
	}
}

// AudioTrack is the Opus track, nil without a microphone.
func (l *Local) AudioTrack() webrtc.TrackLocal {
	if l.audio == nil {
		return nil
	}
	return l.audio
}

// AudioTrackRED is the sound as RED (Opus with each packet carrying the
// frames of earlier packets), nil without a microphone or with NoAdaptation. A room
// publishes it instead of AudioTrack where RED is negotiated.
func (l *Local) AudioTrackRED() webrtc.TrackLocal {
	if l.red == nil {
		return nil
	}
	return l.red
}

// updateBudget sets the video's budget from the last estimate and what
// the sound takes now.
func (l *Local) updateBudget() {
	l.bitrate.Store(int64(max(30_000, min(videoBudget(int(l.estimate.Load()), int(l.redDepth.Load())), 4_000_000))))
}

// RepairsLoss says whether the sound is to be repaired where the network
// loses it (RED, or a room's NACK): not with NoAdaptation, which sends as
// if the network were perfect.
func (l *Local) RepairsLoss() bool { return !l.noAdapt }

// VideoTrack is the VP8 track, nil without a camera.
func (l *Local) VideoTrack() webrtc.TrackLocal {
	if l.video == nil {
		return nil
	}
	return l.video
}

// RequestKeyframe makes the next video frame a keyframe.
func (l *Local) RequestKeyframe() { l.keyframe.Store(true) }

// SetVideoBitrate takes congestion control's estimate of what the
// connection may carry, in bits per second: the video gets what the sound
// leaves of it (videoBudget), and the ladder steps by it. 0 is a stall:
// the video drops to its lowest rung at the least bitrate until the next
// estimate. With NoAdaptation it is ignored.
func (l *Local) SetVideoBitrate(bps int) {
	if l.noAdapt {
		return
	}
	l.estimate.Store(int64(bps))
	l.updateBudget()
	if !l.stalled.Swap(bps <= 0) && bps <= 0 {
		l.stalls.Add(1)
	}
	l.estimated.Store(true)
}

// SetAudioMuted sends silence (as DTX, almost nothing) while muted.
func (l *Local) SetAudioMuted(m bool) { l.audioMuted.Store(m) }

// SetVideoMuted sends no frames while muted; unmuting starts with a
// keyframe.
func (l *Local) SetVideoMuted(m bool) {
	if !m && l.videoMuted.Load() {
		l.RequestKeyframe()
	}
	l.videoMuted.Store(m)
}

// SetPreview shows our own camera in sink (nil: no preview).
func (l *Local) SetPreview(sink VideoSink) {
	if sink == nil {
		l.preview.Store(nil)
		return
	}
	l.preview.Store(&sinkBox{sink})
}

// AudioLevel is the microphone's RMS level, 0..1, after processing: the
// level of what is sent.
func (l *Local) AudioLevel() float64 { return math.Float64frombits(l.level.Load()) }

// Stats counts what was sent.
func (l *Local) Stats() LocalStats {
	sending := l.sending.Load()
	return LocalStats{VideoFrames: int(l.videoFrames.Load()), AudioPackets: int(l.audioPackets.Load()),
		VideoBytes: l.videoBytes.Load(), Keyframes: int(l.keyframes.Load()),
		VideoWidth: int(sending >> 32), VideoHeight: int(sending >> 16 & 0xffff), VideoFPS: int(sending & 0xffff),
		VideoPaused: l.paused.Load(), VideoPauses: int(l.videoPauses.Load()), Stalls: int(l.stalls.Load()),
		VideoTarget: int(l.bitrate.Load())}
}

// Failed says which of the camera and the microphone has stopped (each
// nil while it works).
func (l *Local) Failed() (camera, microphone error) {
	l.errMu.Lock()
	defer l.errMu.Unlock()
	return l.camDown, l.micDown
}

// waitForSwitch waits, after a device failed, until another is put under
// the track (or the media close); it says whether one was.
func (l *Local) waitForSwitch(ctx context.Context, failed func() bool) bool {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for failed() {
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
		}
	}
	return true
}

// Err is the first capture or encoding failure, if any.
func (l *Local) Err() error {
	l.errMu.Lock()
	defer l.errMu.Unlock()
	return l.err
}

// Close stops capture and encoding; every goroutine has ended when it
// returns.
func (l *Local) Close() error {
	l.cancel()
	// The devices close first: a camera blocked in a read that does not
	// watch ctx is unblocked by its close, and the loops then end (they
	// see ctx is done). Waiting for the loops first could wait forever.
	v, a := l.sources()
	var errs []error
	if v != nil {
		errs = append(errs, v.Close())
	}
	if a != nil {
		errs = append(errs, a.Close())
	}
	l.wg.Wait()
	if ls := l.layers.Load(); ls != nil {
		ls.Stop()
	}
	return errors.Join(errs...)
}

// SwitchMicrophone puts another microphone under the audio track, which
// stays the same (no renegotiation).
func (l *Local) SwitchMicrophone(id string) error {
	if l.audio == nil {
		return ErrNoMicrophone
	}
	m, err := OpenMicrophone(id)
	if err != nil {
		return err
	}
	l.srcMu.Lock()
	old := l.audioSrc
	l.audioSrc = m
	l.srcMu.Unlock()
	l.errMu.Lock()
	l.micDown = nil
	l.errMu.Unlock()
	return old.Close()
}

// SwitchCamera puts another camera (or source) under the video track.
func (l *Local) SwitchCamera(src VideoSource) error {
	if l.video == nil {
		return ErrNoCamera
	}
	l.srcMu.Lock()
	old := l.videoSrc
	l.videoSrc = src
	l.srcMu.Unlock()
	l.errMu.Lock()
	l.camDown = nil
	l.errMu.Unlock()
	l.RequestKeyframe()
	return old.Close()
}
