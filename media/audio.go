package media

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/gen2brain/malgo"

	"kaigi/media/tone"
)

// Device is a camera, microphone or speaker as the user picks it.
type Device struct {
	ID      string // stable across runs (the system's device name)
	Name    string // readable
	Default bool
}

// Errors for missing devices; the app says which and carries on.
var (
	ErrNoAudio      = errors.New("media: no sound system")
	ErrNoMicrophone = errors.New("media: no microphone")
	ErrNoSpeaker    = errors.New("media: no speaker")
	ErrNoCamera     = errors.New("media: no camera")
)

// audioContext opens miniaudio's context: PulseAudio, then ALSA, then
// whatever else the platform has (CoreAudio, WASAPI).
func audioContext() (*malgo.AllocatedContext, error) {
	ctx, err := malgo.InitContext(nil, malgo.ContextConfig{}, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoAudio, err)
	}
	return ctx, nil
}

func listAudio(kind malgo.DeviceType) ([]Device, error) {
	ctx, err := audioContext()
	if err != nil {
		return nil, err
	}
	defer func() { _ = ctx.Uninit(); ctx.Free() }()
	infos, err := ctx.Devices(kind)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoAudio, err)
	}
	var out []Device
	for _, in := range infos {
		out = append(out, Device{ID: in.ID.String(), Name: in.Name(), Default: in.IsDefault != 0})
	}
	return out, nil
}

// FindDevice picks from ds the device whose ID is want, or whose system
// name (inside the ID) or readable name contains it.
func FindDevice(ds []Device, want string) (Device, bool) {
	for _, d := range ds {
		if d.ID == want {
			return d, true
		}
	}
	for _, d := range ds {
		raw, _ := hex.DecodeString(d.ID)
		if strings.Contains(string(raw), want) || strings.Contains(d.Name, want) {
			return d, true
		}
	}
	return Device{}, false
}

// ListMicrophones lists the capture devices.
func ListMicrophones() ([]Device, error) { return listAudio(malgo.Capture) }

// ListSpeakers lists the playback devices.
func ListSpeakers() ([]Device, error) { return listAudio(malgo.Playback) }

// findDevice looks a device up by ID; "" is the default device (nil ID).
func findDevice(ctx *malgo.AllocatedContext, kind malgo.DeviceType, id string) (*malgo.DeviceID, error) {
	if id == "" {
		return nil, nil
	}
	infos, err := ctx.Devices(kind)
	if err != nil {
		return nil, err
	}
	for _, in := range infos {
		if in.ID.String() == id {
			d := in.ID
			return &d, nil
		}
	}
	if kind == malgo.Capture {
		return nil, fmt.Errorf("%w: %s", ErrNoMicrophone, id)
	}
	return nil, fmt.Errorf("%w: %s", ErrNoSpeaker, id)
}

// Devices run in periods of 10 ms, three of them buffered: what the echo
// canceller is told of their delay.
const (
	devicePeriod  = 10 * time.Millisecond
	devicePeriods = 3
)

// openDevice starts a mono 48 kHz 16-bit device with the callback.
func openDevice(kind malgo.DeviceType, id string, cb malgo.DataProc) (*malgo.AllocatedContext, *malgo.Device, error) {
	ctx, err := audioContext()
	if err != nil {
		return nil, nil, err
	}
	fail := func(e error) (*malgo.AllocatedContext, *malgo.Device, error) {
		_ = ctx.Uninit()
		ctx.Free()
		return nil, nil, e
	}
	dev, err := findDevice(ctx, kind, id)
	if err != nil {
		return fail(err)
	}
	cfg := malgo.DefaultDeviceConfig(kind)
	cfg.SampleRate = tone.Rate
	cfg.PeriodSizeInMilliseconds = uint32(devicePeriod / time.Millisecond)
	cfg.Periods = devicePeriods
	sub := &cfg.Playback
	if kind == malgo.Capture {
		sub = &cfg.Capture
	}
	sub.Format = malgo.FormatS16
	sub.Channels = 1
	if dev != nil {
		p := dev.Pointer()
		defer cfree(p)
		sub.DeviceID = p
	}
	d, err := malgo.InitDevice(ctx.Context, cfg, malgo.DeviceCallbacks{Data: cb})
	if err != nil {
		if kind == malgo.Capture {
			return fail(fmt.Errorf("%w: %v", ErrNoMicrophone, err))
		}
		return fail(fmt.Errorf("%w: %v", ErrNoSpeaker, err))
	}
	if err := d.Start(); err != nil {
		d.Uninit()
		return fail(fmt.Errorf("%w: %v", ErrNoAudio, err))
	}
	return ctx, d, nil
}

// Microphone is an AudioSource reading a capture device.
type Microphone struct {
	ctx  *malgo.AllocatedContext
	dev  *malgo.Device
	mu   sync.Mutex
	buf  []int16 // captured, not yet read
	more chan struct{}
	done bool
	// delay is how long before the last ReadAudio its first sample
	// reached the device.
	delay time.Duration
}

// OpenMicrophone opens a capture device by ID ("" = the default).
func OpenMicrophone(id string) (*Microphone, error) {
	m := &Microphone{more: make(chan struct{}, 1)}
	var err error
	m.ctx, m.dev, err = openDevice(malgo.Capture, id, func(_, in []byte, frames uint32) {
		// The buffer is C memory that is reused: copy it.
		samples := unsafe.Slice((*int16)(unsafe.Pointer(&in[0])), len(in)/2)
		m.mu.Lock()
		m.buf = append(m.buf, samples...)
		if len(m.buf) > tone.Rate { // a reader stalled: keep the last second
			m.buf = append(m.buf[:0], m.buf[len(m.buf)-tone.Rate:]...)
		}
		m.mu.Unlock()
		select {
		case m.more <- struct{}{}:
		default:
		}
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// ReadAudio waits for len(pcm) captured samples; after Close it fails.
func (m *Microphone) ReadAudio(ctx context.Context, pcm []int16) error {
	for {
		m.mu.Lock()
		if m.done {
			m.mu.Unlock()
			return ErrNoMicrophone
		}
		if len(m.buf) >= len(pcm) {
			// The newest sample came with the last callback: the first
			// one read waited behind all that is buffered.
			m.delay = devicePeriod + time.Duration(len(m.buf))*time.Second/tone.Rate
			copy(pcm, m.buf)
			m.buf = append(m.buf[:0], m.buf[len(pcm):]...)
			m.mu.Unlock()
			return nil
		}
		m.mu.Unlock()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-m.more:
		}
	}
}

// captureDelay is how long the samples of the last ReadAudio waited
// between the device and us.
func (m *Microphone) captureDelay() time.Duration {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.delay
}

// Close releases the device.
func (m *Microphone) Close() error {
	m.mu.Lock()
	if m.done {
		m.mu.Unlock()
		return nil
	}
	m.done = true
	m.mu.Unlock()
	select { // wake a waiting reader
	case m.more <- struct{}{}:
	default:
	}
	m.dev.Uninit()
	_ = m.ctx.Uninit()
	m.ctx.Free()
	return nil
}

// mixer holds every remote voice; the speaker's callback sums them and
// gives the sum, as played, to the processing stage (the echo reference).
type mixer struct {
	mu     sync.Mutex
	voices map[*voiceBuffer]bool
	cues   [][]int16   // sounds of the app's own, each played once (cue.go)
	proc   *Processing // nil: no processing
}

func newMixer(proc *Processing) *mixer { return &mixer{voices: map[*voiceBuffer]bool{}, proc: proc} }

// callback makes a speaker's callback: it writes the sum of the voices.
// Each speaker gets its own scratch buffer.
func (m *mixer) callback() malgo.DataProc {
	var scratch []int32
	return func(out, _ []byte, _ uint32) {
		samples := unsafe.Slice((*int16)(unsafe.Pointer(&out[0])), len(out)/2)
		if cap(scratch) < len(samples) {
			scratch = make([]int32, len(samples))
		}
		mix := scratch[:len(samples)]
		clear(mix)
		m.mu.Lock()
		for v := range m.voices {
			v.mixInto(mix)
		}
		m.mixCues(mix)
		m.mu.Unlock()
		for i, s := range mix {
			samples[i] = int16(max(-32768, min(32767, s)))
		}
		if m.proc != nil {
			// What we hand over now plays after the device's buffer.
			m.proc.played(samples, devicePeriods*devicePeriod)
		}
	}
}

func (m *mixer) add() *voiceBuffer {
	v := newVoiceBuffer()
	m.mu.Lock()
	m.voices[v] = true
	m.mu.Unlock()
	return v
}

func (m *mixer) remove(v *voiceBuffer) {
	m.mu.Lock()
	delete(m.voices, v)
	m.mu.Unlock()
}

// speaker is an open playback device.
type speaker struct {
	ctx *malgo.AllocatedContext
	dev *malgo.Device
}

func openSpeaker(id string, m *mixer) (*speaker, error) {
	ctx, dev, err := openDevice(malgo.Playback, id, m.callback())
	if err != nil {
		return nil, err
	}
	return &speaker{ctx: ctx, dev: dev}, nil
}

func (s *speaker) close() {
	s.dev.Uninit()
	_ = s.ctx.Uninit()
	s.ctx.Free()
}

// voiceBuffer holds one remote track's decoded sound until the speaker
// takes it: the playout buffer. It starts playing once it holds its
// target (set from the arrivals' jitter, media/jitter), and when it runs
// dry it waits to hold the target again. Every time it does, the sound
// behind plays that much later, so the buffer's level grows by itself
// after each stall of the network; sound beyond the target and a slack
// is dropped, oldest first, down to the target: that is how the delay
// comes back down when the network calms.
type voiceBuffer struct {
	mu        sync.Mutex
	buf       []int16
	started   bool
	target    int // samples
	high      int // samples held before sound is dropped
	underruns int // times it ran dry while playing
}

// fixedTarget is the target of a buffer that does not follow the jitter
// (RemoteConfig.FixedPlayout): 40 ms, holding at most 200 ms, as Kaigi
// played before the buffer adapted.
const (
	fixedTarget = tone.Rate / 25
	fixedHigh   = tone.Rate / 5
)

// slack is what the level may exceed the target by before sound is
// dropped: a frame's arrival (20 ms) and one of the speaker's periods.
const slack = tone.Rate * 3 / 100

func newVoiceBuffer() *voiceBuffer { return &voiceBuffer{target: fixedTarget, high: fixedHigh} }

// setTarget sets the delay to hold.
func (v *voiceBuffer) setTarget(d time.Duration) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.target = int(d * tone.Rate / time.Second)
	v.high = v.target + slack
}

func (v *voiceBuffer) write(pcm []int16) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.buf = append(v.buf, pcm...)
	if len(v.buf) > v.high {
		v.buf = append(v.buf[:0], v.buf[len(v.buf)-v.target:]...)
	}
}

// mixInto adds up to len(out) samples into out.
func (v *voiceBuffer) mixInto(out []int32) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if !v.started {
		if len(v.buf) < v.target {
			return
		}
		v.started = true
	}
	n := min(len(out), len(v.buf))
	for i := 0; i < n; i++ {
		out[i] += int32(v.buf[i])
	}
	v.buf = append(v.buf[:0], v.buf[n:]...)
	if n < len(out) {
		v.started = false // ran dry: wait to refill before playing again
		v.underruns++
	}
}

// stats are the times it ran dry, the delay it aims to hold and the
// sound it holds now.
func (v *voiceBuffer) stats() (underruns int, target, held time.Duration) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.underruns, time.Duration(v.target) * time.Second / tone.Rate, time.Duration(len(v.buf)) * time.Second / tone.Rate
}

// PlayTestSound plays a short chime on a speaker ("" = the default), so
// the user can check they hear Kaigi.
func PlayTestSound(id string) error {
	done := make(chan struct{})
	var once sync.Once
	var pos int
	total := tone.Rate * 6 / 10
	ctx, dev, err := openDevice(malgo.Playback, id, func(out, _ []byte, _ uint32) {
		samples := unsafe.Slice((*int16)(unsafe.Pointer(&out[0])), len(out)/2)
		for i := range samples {
			if pos >= total {
				samples[i] = 0
				once.Do(func() { close(done) })
				continue
			}
			// Two notes, C6 then E6, fading out.
			hz := 1046.5
			if pos > total/2 {
				hz = 1318.5
			}
			env := 1 - float64(pos%(total/2))/float64(total/2)
			samples[i] = int16(8000 * env * math.Sin(2*math.Pi*hz*float64(pos)/tone.Rate))
			pos++
		}
	})
	if err != nil {
		return err
	}
	<-done
	dev.Uninit()
	_ = ctx.Uninit()
	ctx.Free()
	return nil
}
