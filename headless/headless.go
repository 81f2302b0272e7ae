// Package headless is a meeting participant without a window: it joins
// with synthetic media (the stamped test pattern and a tone, or a real
// microphone), receives everyone (and may play them on a speaker), and
// writes what it saw as JSON. Tests, benchmarks and bots use it through
// `kaigi join LINK --headless`.
package headless

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"time"

	"kaigi/internal/turns"
	"kaigi/media"
	"kaigi/media/pattern"
	"kaigi/media/tone"
	"kaigi/room"
	"kaigi/room/call"
	"kaigi/room/link"
)

// Options for one headless participant.
type Options struct {
	Link      link.Link
	Name      string
	Password  string
	Duration  time.Duration
	Width     int
	Height    int
	FPS       int
	ToneHz    float64
	StatsPath string
	Dial      room.Dialer
	// Start is when the process started (connected_ms and first_frame_ms
	// count from it).
	Start time.Time
	// Chat is sent once, ChatAfter after joining (default 1 s; "" = none).
	Chat      string
	ChatAfter time.Duration
	// MuteAfter mutes our camera and microphone that long after joining
	// (0 = never).
	MuteAfter time.Duration
	// RaiseHand raises our hand a second after joining; React sends this
	// reaction then and every few seconds after (screenshots, demos).
	RaiseHand bool
	React     string
	// StartAudioMuted joins with the microphone muted (the camera on).
	StartAudioMuted bool
	// Turns, when its N is set, sounds our tone only in our turn (load
	// tests: a meeting where two speak at a time), as participant Turn of
	// Turns.N; silence otherwise, which goes out as Kaigi sends silence
	// (Opus DTX). Turns.N 0: the tone throughout.
	Turns turns.Schedule
	Turn  int
	// SendOnly receives nothing (a cheap synthetic publisher for load
	// tests).
	SendOnly bool
	// Replay sends a pre-encoded loop instead of encoding (load tests).
	Replay bool
	// NoVideo sends sound only.
	NoVideo bool
	// CountOnly receives everything but only counts the packets and
	// pictures, decoding nothing: many receivers in one process load a
	// server as a crowd does, without this machine decoding it all.
	CountOnly bool
	// LowVideo asks for everyone's video as the app does for small tiles
	// (the low layer where there are layers); otherwise rooms send it in
	// full.
	LowVideo bool
	// Passphrase encrypts media end to end (empty: the link's).
	Passphrase string
	// Remote, if set, takes the remote tracks instead of our decoders
	// (tests that tap what the server forwards).
	Remote room.TrackReceiver
	// Microphone sends this capture device (its ID, or part of its name)
	// instead of the tone; Speaker plays what is received on this
	// playback device ("" = nothing is played).
	Microphone string
	Speaker    string
	// NoAudioProcessing sends the microphone as captured: no echo
	// cancellation, noise suppression or gain control (they are on by
	// default; the synthetic tone is never processed).
	NoAudioProcessing bool
	// SwitchSpeakerAfter moves playback to SwitchSpeakerTo that long
	// after joining (0 = never).
	SwitchSpeakerAfter time.Duration
	SwitchSpeakerTo    string
	// NoAdaptation sends the video at its full size, rate and starting
	// bitrate whatever the network allows (to compare, and to show that
	// the tests on impaired networks can fail).
	NoAdaptation bool
	// NoSimulcast sends the camera as one layer where the room would
	// take several.
	NoSimulcast bool
	// Share shares the screen ("screen") or a window whose title contains
	// it, at ShareFPS (share.go).
	Share    string
	ShareFPS int
}

// Peer is what was received from one other participant.
type Peer struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	VideoFrames int    `json:"video_frames"`
	// The size of the last picture decoded (which layer came).
	VideoWidth   int     `json:"video_width,omitempty"`
	VideoHeight  int     `json:"video_height,omitempty"`
	FrameGaps    int     `json:"frame_gaps"`
	AudioLevel   float64 `json:"audio_level"`
	ToneHz       float64 `json:"tone_hz"`
	LatencyP50ms float64 `json:"latency_ms_p50"`
	LatencyP95ms float64 `json:"latency_ms_p95"`
	AudioPackets int     `json:"audio_packets"`
	FirstAudioMs float64 `json:"first_audio_ms"` // since the start, 0: none
	VideoMuted   bool    `json:"video_muted"`
	AudioMuted   bool    `json:"audio_muted"`
	Left         bool    `json:"left"`
	// ScreenOf: this is the screen share of that participant (its ID is
	// room.ShareID of theirs), not a person.
	ScreenOf string `json:"screen_of,omitempty"`

	// Undecryptable lists the kinds of this peer's media that could not
	// be decrypted at the end (end-to-end encrypted with another key).
	Undecryptable []string `json:"undecryptable,omitempty"`
}

// Chat is one chat line received.
type Chat struct {
	From string `json:"from"`
	Text string `json:"text"`
}

// Sent counts what we sent.
type Sent struct {
	VideoFrames  int     `json:"video_frames"`
	AudioPackets int     `json:"audio_packets"`
	VideoKbps    float64 `json:"video_kbps"` // average over the stay
	// VideoPaused counts the times video was paused for want of
	// bandwidth.
	VideoPaused int `json:"video_paused"`
	// Stalls counts the times the network went silent under us (no
	// feedback), and the video dropped to its lowest rung.
	Stalls int `json:"stalls"`
	// What the video was sent as at the end: size, frame rate and the
	// bitrate congestion control left it.
	VideoWidth      int     `json:"video_width"`
	VideoHeight     int     `json:"video_height"`
	VideoFPS        int     `json:"video_fps"`
	VideoTargetKbps float64 `json:"video_target_kbps"`
}

// Result is the stats file.
type Result struct {
	Link         string  `json:"link"`
	State        string  `json:"state"` // "left" or "failed"
	Error        string  `json:"error"`
	ConnectedMs  float64 `json:"connected_ms"`
	FirstFrameMs float64 `json:"first_frame_ms"`
	Sent         Sent    `json:"sent"`
	Peers        []Peer  `json:"peers"`
	Chat         []Chat  `json:"chat"`
	// Unsent is our chat that never went out (held while reconnecting,
	// then refused or still held when we left).
	Unsent     []string    `json:"unsent,omitempty"`
	Reconnects int         `json:"reconnects"`
	Share      *ShareStats `json:"share,omitempty"`

	Encrypted bool `json:"encrypted"` // media end-to-end encrypted
	// EchoDelayMs is the echo canceller's estimate of the echo path's
	// delay when it runs (-1: no estimate).
	EchoDelayMs int `json:"echo_delay_ms"`
}

// Run joins, stays for Duration, leaves, and writes the stats file. The
// error is the join's or the session's failure (a *room.Error).
func Run(ctx context.Context, o Options) (Result, error) {
	if o.Start.IsZero() {
		o.Start = time.Now()
	}
	if o.Width == 0 {
		o.Width, o.Height, o.FPS = 640, 480, 30
	}
	if o.ToneHz == 0 {
		o.ToneHz = 440
	}
	res := Result{Link: o.Link.URL, State: "failed", Peers: []Peer{}, Chat: []Chat{}, EchoDelayMs: -1}
	err := run(ctx, o, &res)
	if err != nil {
		res.State, res.Error = "failed", err.Error()
	} else {
		res.State = "left"
	}
	if o.StatsPath != "" {
		data, _ := json.MarshalIndent(res, "", "  ")
		if werr := os.WriteFile(o.StatsPath, append(data, '\n'), 0o644); werr != nil && err == nil {
			err = fmt.Errorf("stats: %w", werr)
		}
	}
	return res, err
}

// deviceID finds a device by ID or name.
func deviceID(list func() ([]media.Device, error), want string, none error) (string, error) {
	ds, err := list()
	if err != nil {
		return "", err
	}
	d, ok := media.FindDevice(ds, want)
	if !ok {
		return "", fmt.Errorf("%w: %s", none, want)
	}
	return d.ID, nil
}

// openMedia makes what we send and what receives: synthetic, or with a
// real microphone and speaker sharing one processing stage.
func openMedia(o Options) (*media.Local, *media.Remote, *media.Processing, error) {
	if o.Microphone == "" {
		var local *media.Local
		var err error
		var audio media.AudioSource = tone.NewSource(o.ToneHz)
		if o.Turns.N > 0 {
			audio = &turns.Source{AudioSource: audio, Schedule: o.Turns, I: o.Turn}
		}
		switch {
		case o.NoVideo:
			local, err = media.NewLocal(media.LocalConfig{Audio: audio, NoAdaptation: o.NoAdaptation})
		case o.Replay:
			local, err = media.NewReplayLocal(o.Width, o.Height, o.FPS, o.ToneHz)
		default:
			local, err = media.NewLocal(media.LocalConfig{Video: pattern.NewSource(o.Width, o.Height, o.FPS, uint8(int(o.ToneHz)*37)),
				Audio: audio, NoAdaptation: o.NoAdaptation, NoSimulcast: o.NoSimulcast})
		}
		if err != nil {
			return nil, nil, nil, err
		}
		rcfg := media.RemoteConfig{}
		if o.Speaker != "" {
			rcfg.Playback = true
			if rcfg.Speaker, err = deviceID(media.ListSpeakers, o.Speaker, media.ErrNoSpeaker); err != nil {
				local.Close()
				return nil, nil, nil, err
			}
		}
		remote, err := media.NewRemote(rcfg)
		if err != nil {
			local.Close()
			return nil, nil, nil, err
		}
		return local, remote, nil, nil
	}
	cfg := media.DefaultProcessing
	if o.NoAudioProcessing {
		cfg = media.ProcessingConfig{}
	}
	proc, err := media.NewProcessing(cfg)
	if errors.Is(err, media.ErrNoProcessing) {
		proc, err = nil, nil // this platform sends the microphone as it is
	}
	if err != nil {
		return nil, nil, nil, err
	}
	closeProc := func() {
		if proc != nil {
			proc.Close()
		}
	}
	micID, err := deviceID(media.ListMicrophones, o.Microphone, media.ErrNoMicrophone)
	if err != nil {
		closeProc()
		return nil, nil, nil, err
	}
	mic, err := media.OpenMicrophone(micID)
	if err != nil {
		closeProc()
		return nil, nil, nil, err
	}
	local, err := media.NewLocal(media.LocalConfig{Audio: mic, Video: pattern.NewSource(o.Width, o.Height, o.FPS, uint8(int(o.ToneHz)*37)),
		Processing: proc, NoAdaptation: o.NoAdaptation, NoSimulcast: o.NoSimulcast})
	if err != nil {
		closeProc()
		return nil, nil, nil, err
	}
	rcfg := media.RemoteConfig{Processing: proc}
	if o.Speaker != "" {
		rcfg.Playback = true
		rcfg.Speaker, err = deviceID(media.ListSpeakers, o.Speaker, media.ErrNoSpeaker)
	}
	var remote *media.Remote
	if err == nil {
		remote, err = media.NewRemote(rcfg)
	}
	if err != nil {
		local.Close()
		closeProc()
		return nil, nil, nil, err
	}
	return local, remote, proc, nil
}

func run(ctx context.Context, o Options, res *Result) error {
	local, remote, proc, err := openMedia(o)
	if err != nil {
		return err
	}
	if proc != nil {
		defer proc.Close() // after local and remote (defers run last first)
	}
	if o.StartAudioMuted {
		local.SetAudioMuted(true) // nothing of the tone goes out while joining either
	}
	defer local.Close()
	defer remote.Close()
	jo := room.JoinOptions{Link: o.Link, Name: o.Name, Password: o.Password, Passphrase: o.Passphrase, Local: local, Remote: remote,
		StartAudioMuted: o.StartAudioMuted}
	var counter *packetCounter
	switch {
	case o.SendOnly:
		jo.Remote = nil
	case o.Remote != nil:
		jo.Remote = o.Remote
	case o.CountOnly:
		counter = newPacketCounter()
		jo.Remote = counter
	}
	sess, err := o.Dial(ctx, jo)
	if err != nil {
		return err
	}
	res.ConnectedMs = ms(time.Since(o.Start))
	if o.Share != "" {
		shareStart := time.Now()
		share, err := startShare(sess, o.Share, o.ShareFPS)
		res.Share = &ShareStats{Source: o.Share}
		if err != nil {
			res.Share.Error = err.Error()
		} else {
			defer func() {
				st := share.Stats()
				res.Share.Frames, res.Share.Bytes, res.Share.Keyframes = st.Frames, st.Bytes, st.Keyframes
				if !st.FirstFrame.IsZero() {
					res.Share.FirstSentMs = ms(st.FirstFrame.Sub(shareStart))
				}
				share.Close()
			}()
		}
	}

	var chatErr, switchErr error // sending our chat or switching speakers failed
	// The meeting as the app sees it (room/call), fed by one goroutine;
	// read once that goroutine has ended.
	model := call.New(sess.Self())
	eventsDone := make(chan struct{})
	selector, _ := sess.(room.VideoSelector)
	go func() {
		defer close(eventsDone)
		for ev := range sess.Events() {
			model.Apply(ev)
			if _, joined := ev.(room.ParticipantJoined); joined && o.LowVideo && selector != nil {
				shown := map[string]room.Quality{}
				for _, id := range model.IDs() {
					if id != model.Self() {
						shown[id] = room.QualityLow
					}
				}
				selector.SelectVideo(shown)
			}
		}
	}()

	deadline := time.NewTimer(o.Duration)
	defer deadline.Stop()
	var chatC, muteC <-chan time.Time
	if o.Chat != "" {
		if o.ChatAfter <= 0 {
			o.ChatAfter = time.Second
		}
		chatC = time.After(o.ChatAfter)
	}
	if o.MuteAfter > 0 {
		muteC = time.After(o.MuteAfter)
	}
	var handC <-chan time.Time
	var reactC <-chan time.Time
	gestures, _ := sess.(room.Gestures)
	if gestures != nil && o.RaiseHand {
		handC = time.After(time.Second)
	}
	if gestures != nil && o.React != "" {
		t := time.NewTicker(3 * time.Second)
		defer t.Stop()
		reactC = t.C
	}
	var switchC <-chan time.Time
	if o.SwitchSpeakerAfter > 0 && o.Speaker != "" {
		switchC = time.After(o.SwitchSpeakerAfter)
	}
	firstFrame := time.NewTicker(20 * time.Millisecond)
	defer firstFrame.Stop()

loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-deadline.C:
			break loop
		case <-eventsDone:
			break loop
		case <-chatC:
			if err := sess.SendChat(o.Chat); err != nil {
				chatErr = err
			}
		case <-muteC:
			_ = sess.SetMuted(room.Video, true)
			_ = sess.SetMuted(room.Audio, true)
		case <-handC:
			_ = gestures.RaiseHand(true)
		case <-reactC:
			_ = gestures.React(o.React)
		case <-switchC:
			id, err := deviceID(media.ListSpeakers, o.SwitchSpeakerTo, media.ErrNoSpeaker)
			if err == nil {
				err = remote.SwitchSpeaker(id)
			}
			if err != nil {
				switchErr = fmt.Errorf("switch speaker: %w", err)
			}
		case <-firstFrame.C:
			if counter != nil {
				if first := counter.firstFrame(); !first.IsZero() {
					res.FirstFrameMs = ms(first.Sub(o.Start))
					firstFrame.Stop()
				}
			}
			for _, s := range remote.Stats() {
				if !s.FirstFrame.IsZero() {
					res.FirstFrameMs = ms(s.FirstFrame.Sub(o.Start))
					firstFrame.Stop()
					break
				}
			}
		}
	}
	stats := remote.Stats()
	sent := local.Stats()
	stayed := time.Since(o.Start) - time.Duration(res.ConnectedMs*float64(time.Millisecond))
	if proc != nil && proc.Config().EchoCancel {
		res.EchoDelayMs = proc.EchoStats().EchoDelayMs
	}
	_ = sess.Leave()
	<-eventsDone

	res.Sent = Sent{VideoFrames: sent.VideoFrames, AudioPackets: sent.AudioPackets, VideoPaused: sent.VideoPauses, Stalls: sent.Stalls,
		VideoWidth: sent.VideoWidth, VideoHeight: sent.VideoHeight, VideoFPS: sent.VideoFPS, VideoTargetKbps: float64(sent.VideoTarget) / 1000,
		VideoKbps: round(float64(sent.VideoBytes*8)/1000/max(stayed.Seconds(), 1), 1)}
	peers := map[string]*Peer{}
	peer := func(id string) *Peer {
		p := peers[id]
		if p == nil {
			p = &Peer{ID: id, Name: id}
			peers[id] = p
		}
		return p
	}
	everyone := model.Departed()
	for _, id := range model.IDs() {
		if id != model.Self() {
			everyone = append(everyone, model.Person(id))
		}
	}
	for _, mp := range everyone {
		p := peer(mp.ID)
		p.Name, p.AudioMuted, p.VideoMuted, p.Left = mp.Name, mp.AudioMuted, mp.VideoMuted, mp.Left
		for _, k := range []room.Kind{room.Audio, room.Video} {
			if mp.Undecryptable[k] {
				p.Undecryptable = append(p.Undecryptable, string(k))
			}
		}
	}
	for _, m := range model.Chat {
		if m.FromID != model.Self() {
			res.Chat = append(res.Chat, Chat{From: m.FromName, Text: m.Text})
		}
	}
	res.Unsent = model.Unsent()
	res.Reconnects = model.Reconnects
	res.Encrypted = model.Encryption.Media
	failure := chatErr
	if failure == nil && len(res.Unsent) > 0 {
		failure = room.Fail(room.ErrDisconnected, nil, "chat not sent: %q", res.Unsent)
	}
	if failure == nil {
		failure = switchErr
	}
	if model.State == room.Failed {
		failure = model.Err
	}
	for _, s := range stats {
		p := peer(s.ParticipantID)
		p.VideoFrames, p.FrameGaps, p.AudioLevel, p.ToneHz = s.VideoFrames, s.FrameGaps, round(s.AudioLevel, 4), round(s.ToneHz, 1)
		p.VideoWidth, p.VideoHeight = s.Width, s.Height
		p.LatencyP50ms, p.LatencyP95ms, p.AudioPackets = s.LatencyP50ms, s.LatencyP95ms, s.AudioPackets
		if !s.FirstAudio.IsZero() {
			p.FirstAudioMs = ms(s.FirstAudio.Sub(o.Start))
		}
		if res.FirstFrameMs == 0 && !s.FirstFrame.IsZero() {
			res.FirstFrameMs = ms(s.FirstFrame.Sub(o.Start))
		}
	}
	if counter != nil {
		counter.fill(peer)
	}
	for id, p := range peers {
		if owner, ok := room.SharerOf(id); ok {
			p.ScreenOf, p.ID = owner, owner+"/screen"
			if o := peers[owner]; o != nil {
				p.Name = o.Name + " (screen)"
			}
		}
	}
	for _, p := range peers {
		res.Peers = append(res.Peers, *p)
	}
	sort.Slice(res.Peers, func(i, j int) bool { return res.Peers[i].Name < res.Peers[j].Name })
	if failure != nil && !errors.Is(failure, context.Canceled) {
		return failure
	}
	return nil
}

func ms(d time.Duration) float64 { return round(float64(d.Microseconds())/1000, 1) }

func round(v float64, places int) float64 {
	p := 1.0
	for i := 0; i < places; i++ {
		p *= 10
	}
	return float64(int64(v*p+0.5)) / p
}
