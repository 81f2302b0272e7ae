package media

import (
	"context"
	"fmt"
	"image"
	"math"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtp"
	"github.com/pion/rtp/codecs"
	"github.com/pion/webrtc/v4"
	"gopkg.in/hraban/opus.v2"

	"kaigi/media/assemble"
	"kaigi/media/jitter"
	"kaigi/media/pattern"
	"kaigi/media/tone"
	"kaigi/media/vpx"
	"kaigi/media/yuv"
)

// RemoteConfig sets up receiving.
type RemoteConfig struct {
	// Playback mixes every remote voice into one playback device; false
	// only analyses the sound (headless participants, tests).
	Playback bool
	// Speaker is the playback device's ID ("" = the system default).
	Speaker string
	// Processing, when set, is given what the speaker plays: the echo
	// canceller's reference for the microphone of the same call.
	Processing *Processing
	// FixedPlayout plays each voice with a fixed 40 ms buffer, as Kaigi
	// did before the buffer followed the jitter (comparisons, and tests
	// that must be able to fail).
	FixedPlayout bool
}

// PeerStats is what was received from one participant.
type PeerStats struct {
	ParticipantID string
	VideoFrames   int // pictures decoded
	Keyframes     int // of them, keyframes (each costs several pictures' decoding)
	// Breaks counts the times lost packets or an undecodable picture broke
	// the chain of pictures (nothing shows until the next keyframe);
	// KeyRequests the keyframes asked for (PLI), the first included;
	// Resizes the times the pictures changed size (another simulcast
	// layer, or the sender's camera).
	Breaks, KeyRequests, Resizes int
	FrameGaps                    int // frames missing between the stamps of decoded pictures
	Width, Height                int // of the last picture
	AudioPackets                 int // Opus packets decoded (concealed ones not counted)
	Concealed                    int // 20 ms frames made up for lost packets
	Recovered                    int // lost packets rebuilt from the next one's in-band FEC
	// AudioSpan is how many 20 ms frames the RTP timestamps of the
	// decoded sound span: what a sender that never pauses (no DTX) sent.
	AudioSpan    int
	AudioLevel   float64 // RMS of the last audible second, 0..1
	ToneHz       float64 // strongest frequency of the last audible second (0: none)
	LatencyP50ms float64 // capture stamp to decoded picture, median
	LatencyP95ms float64
	FirstFrame   time.Time // when the first picture was decoded
	FirstAudio   time.Time // when the first sound was decoded
	// The sound's arrival: RFC 3550's interarrival jitter of what the
	// decoder was given; with Playback, the delay the playout buffer
	// aims at, the sound it holds now, and how many times playback ran
	// dry.
	JitterMs        float64
	PlayoutTargetMs float64
	PlayoutHeldMs   float64
	Underruns       int
	// Undecodable names a track of theirs Kaigi cannot decode (a codec
	// it has no decoder for, or a decoder that would not open): shown as
	// such, never as a silent black tile.
	Undecodable string
}

// RemoteTrack is a remote track's RTP: a *webrtc.TrackRemote, or a track
// that transforms one (end-to-end decryption). The same type as
// room.RemoteTrack (both are aliases of this literal).
type RemoteTrack = interface {
	Codec() webrtc.RTPCodecParameters
	ReadRTP() (*rtp.Packet, interceptor.Attributes, error)
	SetReadDeadline(time.Time) error
}

// Remote receives every remote track: it decodes video to pictures for
// the VideoSinks and audio for the speaker, and keeps statistics.
type Remote struct {
	cfg    RemoteConfig
	mu     sync.Mutex
	peers  map[string]*peer
	sinks  map[string]VideoSink
	mixer  *mixer
	out    *speaker // nil without Playback
	closed bool
	wg     sync.WaitGroup
	// devMu keeps speaker switches and Close apart: one device at a time.
	devMu sync.Mutex
}

type peer struct {
	PeerStats
	lastCounter uint32
	haveCounter bool
	latencies   []float64 // ring of the last 300
	latNext     int
	audio       []int16 // the last second of audible sound, for level and tone
	audioNext   int
	audioFull   bool
	level       float64 // smoothed level of what arrives now, for meters
	firstTS     uint32  // RTP timestamp of the first sound
	haveTS      bool
	voice       *voiceBuffer // its playout buffer (nil without Playback)
}

// NewRemote starts receiving. With Playback it opens the speaker; an
// error then means no audio output could be opened.
func NewRemote(cfg RemoteConfig) (*Remote, error) {
	r := &Remote{cfg: cfg, peers: map[string]*peer{}, sinks: map[string]VideoSink{}, mixer: newMixer(cfg.Processing)}
	if cfg.Playback {
		out, err := openSpeaker(cfg.Speaker, r.mixer)
		if err != nil {
			return nil, err
		}
		r.out = out
	}
	return r, nil
}

// SwitchSpeaker moves playback to another device ("" = the default) while
// calls go on. The old device stops before the new one starts: two
// devices playing at once would each take half of every voice, and the
// echo canceller's reference would be a mix of both. If the new device
// cannot be opened, playback goes back to the old one.
func (r *Remote) SwitchSpeaker(id string) error {
	r.devMu.Lock()
	defer r.devMu.Unlock()
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	old, prev := r.out, r.cfg.Speaker
	r.out = nil
	r.mu.Unlock()
	if old != nil {
		old.close()
	}
	out, err := openSpeaker(id, r.mixer)
	if err != nil {
		if old != nil {
			if back, err2 := openSpeaker(prev, r.mixer); err2 == nil {
				r.setSpeaker(back, prev)
			}
		}
		return err
	}
	r.setSpeaker(out, id)
	return nil
}

func (r *Remote) setSpeaker(out *speaker, id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.out, r.cfg.Speaker = out, id
}

// SetVideoSink sends the pictures of a participant to sink (nil: none;
// then video is decoded but not converted).
func (r *Remote) SetVideoSink(participantID string, sink VideoSink) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if sink == nil {
		delete(r.sinks, participantID)
		return
	}
	r.sinks[participantID] = sink
}

func (r *Remote) sink(id string) VideoSink {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sinks[id]
}

func (r *Remote) peer(id string) *peer {
	p := r.peers[id]
	if p == nil {
		p = &peer{PeerStats: PeerStats{ParticipantID: id}}
		r.peers[id] = p
	}
	return p
}

// undecodable records that a track of id's cannot be decoded, and why.
func (r *Remote) undecodable(id, why string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.peer(id).Undecodable = why
}

// Undecodable are the participants with a track Kaigi cannot decode, and
// why (cheap: for polling from the UI).
func (r *Remote) Undecodable() map[string]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]string{}
	for id, p := range r.peers {
		if p.Undecodable != "" {
			out[id] = p.Undecodable
		}
	}
	return out
}

// ReceiveTrack decodes a remote track until it ends or ctx is done.
// requestKeyframe asks the sender for a keyframe (PLI).
func (r *Remote) ReceiveTrack(ctx context.Context, participantID string, track RemoteTrack, requestKeyframe func()) {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return
	}
	r.wg.Add(1)
	r.mu.Unlock()
	defer r.wg.Done()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// ReadRTP has no context: stop it by failing its next read.
	go func() {
		<-ctx.Done()
		_ = track.SetReadDeadline(time.Now())
	}()
	mime := strings.ToLower(track.Codec().MimeType)
	switch {
	case mime == strings.ToLower(webrtc.MimeTypeVP8):
		r.receiveVideo(ctx, participantID, track, requestKeyframe)
	case mime == strings.ToLower(webrtc.MimeTypeOpus):
		r.receiveAudio(ctx, participantID, track, false)
	case mime == strings.ToLower(REDCodec.MimeType):
		r.receiveAudio(ctx, participantID, track, true)
	default:
		// A codec we cannot decode: say so, and drain it so the sender
		// is not blocked.
		r.undecodable(participantID, track.Codec().MimeType)
		for ctx.Err() == nil {
			if _, _, err := track.ReadRTP(); err != nil {
				return
			}
		}
	}
}

// keyframeInterval limits how often we ask for keyframes.
const keyframeInterval = 500 * time.Millisecond

func (r *Remote) receiveVideo(ctx context.Context, id string, track RemoteTrack, requestKeyframe func()) {
	dec, err := vpx.NewDecoder(1)
	if err != nil {
		r.undecodable(id, fmt.Sprintf("VP8 (%v)", err))
		return
	}
	defer dec.Close()
	// The sample builder is the track's jitter buffer: it puts packets in
	// order, waits a little for late ones, and says what was lost.
	sb := assemble.New(128, &codecs.VP8Packet{}, 90000, 200*time.Millisecond)
	var stampRows []byte
	var rgba *image.RGBA
	var conv yuv.Converter
	haveKey := false
	var lastPLI time.Time
	askKey := func() {
		if requestKeyframe != nil && time.Since(lastPLI) > keyframeInterval {
			lastPLI = time.Now()
			requestKeyframe()
			r.count(id, func(p *peer) { p.KeyRequests++ })
		}
	}
	broke := func() {
		if haveKey {
			haveKey = false
			r.count(id, func(p *peer) { p.Breaks++ })
		}
	}
	askKey()
	for {
		pkt, _, err := track.ReadRTP()
		if err != nil {
			return
		}
		sb.Push(pkt)
		for s := sb.Pop(); s != nil; s = sb.Pop() {
			if len(s.Data) == 0 {
				continue
			}
			isKey := s.Data[0]&1 == 0
			if s.PrevDroppedPackets > 0 && !isKey {
				broke()
			}
			if !haveKey {
				if !isKey {
					askKey()
					continue
				}
				haveKey = true
			}
			w, h, ok, err := dec.Decode(s.Data, stampRows)
			if err != nil {
				broke()
				askKey()
				continue
			}
			if !ok {
				continue
			}
			if need := pattern.StampRows(w) * w; len(stampRows) != need {
				stampRows = make([]byte, need)
				// The stamp of this picture was not copied: read it
				// again with the next one.
				r.noteFrame(id, w, h, isKey, nil)
			} else {
				r.noteFrame(id, w, h, isKey, stampRows)
			}
			if sink := r.sink(id); sink != nil {
				if f, err := dec.Frame(); err == nil {
					rgba = sink.SetFrame(toSink(&conv, sink, f, rgba))
				}
			}
		}
	}
}

func (r *Remote) noteFrame(id string, w, h int, key bool, stampRows []byte) {
	now := time.Now()
	var st pattern.Stamp
	var stampErr error = pattern.ErrNoStamp
	if stampRows != nil {
		st, stampErr = pattern.Read(stampRows, w)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.peer(id)
	p.VideoFrames++
	if key {
		p.Keyframes++
	}
	if p.Width != 0 && (p.Width != w || p.Height != h) {
		p.Resizes++
	}
	p.Width, p.Height = w, h
	if p.FirstFrame.IsZero() {
		p.FirstFrame = now
	}
	if stampErr != nil {
		return
	}
	if p.haveCounter && st.Counter > p.lastCounter+1 && st.Counter-p.lastCounter < 1<<20 {
		p.FrameGaps += int(st.Counter - p.lastCounter - 1)
	}
	p.lastCounter, p.haveCounter = st.Counter, true
	if age := st.Age(now); age >= 0 && age < 60_000 {
		if len(p.latencies) < 300 {
			p.latencies = append(p.latencies, age)
		} else {
			p.latencies[p.latNext] = age
			p.latNext = (p.latNext + 1) % 300
		}
	}
}

// receiveAudio decodes Opus, or RED carrying Opus (red): a RED packet's
// redundant frame fills the gap of a lost packet before the sample
// builder gives up on it.
func (r *Remote) receiveAudio(ctx context.Context, id string, track RemoteTrack, red bool) {
	dec, err := opus.NewDecoder(tone.Rate, 1)
	if err != nil {
		r.undecodable(id, fmt.Sprintf("Opus (%v)", err))
		return
	}
	sb := assemble.New(32, &codecs.OpusPacket{}, 48000, 100*time.Millisecond)
	pcm := make([]int16, 5760) // the longest Opus frame, 120 ms
	var voice *voiceBuffer
	if r.cfg.Playback {
		voice = r.mixer.add()
		defer r.mixer.remove(voice)
		r.mu.Lock()
		r.peer(id).voice = voice
		r.mu.Unlock()
	}
	delay := jitter.New(48000, jitter.MinDelay, jitter.MaxDelay)
	var seen [64]uint16 // recent sequence numbers, by their low bits
	var seenOK [64]bool
	var highest uint16
	started := false
	push := func(p *rtp.Packet, redundant bool) {
		i := p.SequenceNumber % 64
		if seenOK[i] && seen[i] == p.SequenceNumber {
			return // had it already
		}
		// A redundant copy too old to help: the sample builder has
		// given up on the packet (pushing it would set it back).
		if redundant && started && int16(p.SequenceNumber-highest) < -3 {
			return
		}
		seen[i], seenOK[i] = p.SequenceNumber, true
		if !started || int16(p.SequenceNumber-highest) > 0 {
			highest, started = p.SequenceNumber, true
		}
		sb.Push(p)
	}
	for {
		pkt, _, err := track.ReadRTP()
		if err != nil {
			return
		}
		if red {
			pkts, err := unRED(pkt)
			if err != nil {
				continue
			}
			for i, p := range pkts {
				push(p, i < len(pkts)-1)
			}
		} else {
			push(pkt, false)
		}
		for s := sb.Pop(); s != nil; s = sb.Pop() {
			// The buffer's delay follows how unevenly the sound reaches
			// the decoder: the network's jitter, and the sample
			// builder's waits for lost packets.
			target := delay.Arrived(s.PacketTimestamp, time.Now())
			if voice != nil && !r.cfg.FixedPlayout {
				voice.setTarget(target)
			}
			r.noteAudioTime(id, s.PacketTimestamp, delay.Jitter())
			// Lost packets: the next packet's in-band FEC rebuilds the one
			// just before it; concealment covers the rest.
			lost := int(s.PrevDroppedPackets)
			for i := 0; i < lost && i < 10; i++ {
				frame := pcm[:audioFrame]
				fec := i == lost-1 && opusHasFEC(s.Data)
				if fec {
					err = dec.DecodeFEC(s.Data, frame)
				} else {
					err = dec.DecodePLC(frame)
				}
				if err == nil {
					r.noteAudio(id, frame, false, voice)
					if fec {
						r.noteRecovered(id)
					}
				}
			}
			n, err := dec.Decode(s.Data, pcm)
			if err != nil || n == 0 {
				continue
			}
			r.noteAudio(id, pcm[:n], true, voice)
		}
	}
}

func (r *Remote) noteAudio(id string, pcm []int16, real bool, voice *voiceBuffer) {
	if voice != nil {
		voice.write(pcm)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.peer(id)
	if p.FirstAudio.IsZero() {
		p.FirstAudio = time.Now()
	}
	if real {
		p.AudioPackets++
	} else {
		p.Concealed++
	}
	lvl := tone.Level(pcm)
	p.level = 0.7*p.level + 0.3*lvl
	if lvl < 1e-3 {
		return // silence (or a muted sender) says nothing of who they are
	}
	if p.audio == nil {
		p.audio = make([]int16, tone.Rate)
	}
	for _, v := range pcm {
		p.audio[p.audioNext] = v
		p.audioNext++
		if p.audioNext == len(p.audio) {
			p.audioNext, p.audioFull = 0, true
		}
	}
}

// opusHasFEC says whether an Opus packet of one SILK or hybrid frame
// carries the previous frame's in-band FEC (LBRR): the flag follows the
// voice-activity flag at the top of the first byte after the TOC, for
// each channel (RFC 6716 section 4.2.3). Other packets are taken to carry
// none (libopus's decoder then only conceals).
func opusHasFEC(pkt []byte) bool {
	if len(pkt) < 2 {
		return false
	}
	toc := pkt[0]
	if toc>>3 >= 16 || toc&3 != 0 {
		return false // CELT only, or several frames in the packet
	}
	b := pkt[1]
	if toc&4 != 0 { // stereo: mid VAD, mid LBRR, side VAD, side LBRR
		return b>>6&1 == 1 || b>>4&1 == 1
	}
	return b>>6&1 == 1
}

func (r *Remote) noteAudioTime(id string, ts uint32, jitter time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.peer(id)
	p.JitterMs = float64(jitter) / float64(time.Millisecond)
	if !p.haveTS {
		p.firstTS, p.haveTS = ts, true
	}
	if span := int(int32(ts-p.firstTS))/audioFrame + 1; span > p.AudioSpan {
		p.AudioSpan = span
	}
}

func (r *Remote) noteRecovered(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.peer(id).Recovered++
}

// lastSecond is the peer's sound of the last second, in order.
func (p *peer) lastSecond() []int16 {
	if !p.audioFull {
		return append([]int16(nil), p.audio[:p.audioNext]...)
	}
	return append(append([]int16(nil), p.audio[p.audioNext:]...), p.audio[:p.audioNext]...)
}

// AudioLevel is a participant's recent RMS level, 0..1 (for meters and
// active-speaker detection).
func (r *Remote) AudioLevel(participantID string) float64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.peers[participantID]
	if p == nil {
		return 0
	}
	return p.level
}

// Stats is what was received from everyone, sorted by participant.
func (r *Remote) Stats() []PeerStats {
	r.mu.Lock()
	var out []PeerStats
	var sounds [][]int16
	for _, p := range r.peers {
		s := p.PeerStats
		s.LatencyP50ms, s.LatencyP95ms = percentile(p.latencies, 0.5), percentile(p.latencies, 0.95)
		if p.voice != nil {
			var target, held time.Duration
			s.Underruns, target, held = p.voice.stats()
			s.PlayoutTargetMs, s.PlayoutHeldMs = float64(target)/float64(time.Millisecond), float64(held)/float64(time.Millisecond)
		}
		out = append(out, s)
		sounds = append(sounds, p.lastSecond())
	}
	r.mu.Unlock()
	for i := range out {
		out[i].AudioLevel = tone.Level(sounds[i])
		if out[i].AudioLevel > 0.001 {
			out[i].ToneHz, _ = tone.Dominant(sounds[i])
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ParticipantID < out[j].ParticipantID })
	return out
}

// Decoded is the video decoded from one participant so far (the fields
// of PeerStats of the same names).
type Decoded struct {
	Frames, Keyframes            int
	Breaks, KeyRequests, Resizes int
	Width, Height                int // of the last picture
}

// count changes a participant's counts under the lock.
func (r *Remote) count(id string, f func(*peer)) {
	r.mu.Lock()
	f(r.peer(id))
	r.mu.Unlock()
}

// Decoded is, per participant, the video decoded so far: cheap enough to
// read often (measurements), unlike Stats, which analyses the sound.
func (r *Remote) Decoded() map[string]Decoded {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]Decoded, len(r.peers))
	for id, p := range r.peers {
		if p.VideoFrames > 0 {
			out[id] = Decoded{Frames: p.VideoFrames, Keyframes: p.Keyframes, Breaks: p.Breaks, KeyRequests: p.KeyRequests,
				Resizes: p.Resizes, Width: p.Width, Height: p.Height}
		}
	}
	return out
}

func percentile(v []float64, q float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[int(math.Round(q*float64(len(s)-1)))]
}

// Close stops playback and waits for every ReceiveTrack to return (their
// contexts or tracks must end).
func (r *Remote) Close() error {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
	r.wg.Wait()
	r.devMu.Lock()
	defer r.devMu.Unlock()
	r.mu.Lock()
	out := r.out
	r.out = nil
	r.mu.Unlock()
	if out != nil {
		out.close()
	}
	return nil
}
