package headless

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Args is the command line of `kaigi join`: the link text and the options
// (without Link and Dial, which the caller resolves).
type Args struct {
	LinkText string
	Headless bool
	Options  Options
	// Count runs that many participants in this one process (load tests):
	// "NAME 1" to "NAME N", each tone 30 Hz above the last.
	Count int
	// Turns makes the Count participants speak two at a time, 3 s each,
	// from TurnsAfter after the start (silent until then, and silent
	// between their turns); see Options.Turns.
	Turns      bool
	TurnsAfter time.Duration
	// FakeMedia asks for the test pattern and the tone instead of the
	// camera and microphone. Headless has no other media, so it matters
	// only without --headless, where the app opens on the link.
	FakeMedia bool
}

// ParseArgs reads `LINK --headless --fake-media --name NAME --duration 20s
// --stats-json FILE [--tone HZ] [--video WxH@FPS|off] [--receive all|low|count] [--password P]
// [--chat TEXT] [--mute-after D] [--raise-hand] [--react EMOJI] [--send-only] [--replay] [--count N]
// [--mute] [--turns] [--turns-after D]
// [--microphone NAME] [--speaker NAME] [--audio-processing on|off]
// [--adaptation on|off] [--simulcast on|off]`; flags
// may come before or after LINK.
func ParseArgs(args []string, stderr io.Writer) (Args, error) {
	fs := flag.NewFlagSet("kaigi join", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var a Args
	fs.BoolVar(&a.Headless, "headless", false, "join without a window")
	fs.BoolVar(&a.FakeMedia, "fake-media", false, "send the synthetic test pattern and a tone (the only media headless has)")
	fs.StringVar(&a.Options.Name, "name", "Kaigi bot", "display name")
	fs.StringVar(&a.Options.Password, "password", "", "password of the meeting, if it has one")
	fs.StringVar(&a.Options.Passphrase, "passphrase", "", "end-to-end encryption passphrase of a LiveKit room (default: the link's #fragment)")
	fs.DurationVar(&a.Options.Duration, "duration", 20*time.Second, "how long to stay")
	fs.StringVar(&a.Options.StatsPath, "stats-json", "", "write what was sent and received to this file")
	fs.Float64Var(&a.Options.ToneHz, "tone", 440, "tone frequency in Hz")
	video := fs.String("video", "640x480@30", "video size and rate, WxH@FPS, or off (sound only)")
	receive := fs.String("receive", "all", "all: decode what arrives; low: the same, everyone's video as small tiles get it; count: as low, but only count what arrives (load tests)")
	fs.StringVar(&a.Options.Chat, "chat", "", "send this chat line after joining")
	fs.DurationVar(&a.Options.ChatAfter, "chat-after", time.Second, "when to send --chat, after joining")
	fs.DurationVar(&a.Options.MuteAfter, "mute-after", 0, "mute camera and microphone after this long")
	fs.BoolVar(&a.Options.RaiseHand, "raise-hand", false, "raise a hand a second after joining")
	fs.StringVar(&a.Options.React, "react", "", "send this reaction (an emoji Kaigi knows) every few seconds")
	fs.BoolVar(&a.Options.SendOnly, "send-only", false, "send but receive nothing (a cheap publisher for load tests)")
	fs.BoolVar(&a.Options.Replay, "replay", false, "send a pre-encoded loop of the pattern instead of encoding (load tests)")
	fs.IntVar(&a.Count, "count", 1, "join as this many participants from this one process (load tests)")
	fs.BoolVar(&a.Options.StartAudioMuted, "mute", false, "join with the microphone muted")
	fs.BoolVar(&a.Turns, "turns", false, "the --count participants speak two at a time, 3 s each, silent otherwise (load tests)")
	fs.DurationVar(&a.TurnsAfter, "turns-after", 0, "with --turns, start the turns this long after the start (silent until then)")
	fs.StringVar(&a.Options.Microphone, "microphone", "", "send this microphone (ID or part of its name) instead of the tone")
	fs.StringVar(&a.Options.Speaker, "speaker", "", "play what is received on this speaker (ID or part of its name)")
	adaptation := fs.String("adaptation", "on", "fit the video's bitrate, size and rate to what the network allows: on or off")
	simulcast := fs.String("simulcast", "on", "send the camera as several layers where the room takes them: on or off")
	fs.StringVar(&a.Options.Share, "share", "", `share the screen ("screen") or the window whose title contains this`)
	fs.IntVar(&a.Options.ShareFPS, "share-fps", 10, "frames per second of the screen share (1 to 30)")
	processing := fs.String("audio-processing", "on", "echo cancellation, noise suppression and gain control on the microphone: on or off")
	var rest []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return a, err
		}
		if fs.NArg() == 0 {
			break
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(rest) != 1 {
		return a, fmt.Errorf("kaigi join: give exactly one meeting link")
	}
	a.LinkText = rest[0]
	for _, sw := range []struct {
		flag, value string
		off         *bool
	}{
		{"audio-processing", *processing, &a.Options.NoAudioProcessing},
		{"adaptation", *adaptation, &a.Options.NoAdaptation},
		{"simulcast", *simulcast, &a.Options.NoSimulcast},
	} {
		switch sw.value {
		case "on":
		case "off":
			*sw.off = true
		default:
			return a, fmt.Errorf("kaigi join: --%s is on or off, not %q", sw.flag, sw.value)
		}
	}
	switch *receive {
	case "all":
	case "count":
		a.Options.CountOnly, a.Options.LowVideo = true, true
	case "low":
		a.Options.LowVideo = true
	default:
		return a, fmt.Errorf("kaigi join: --receive is all, count or low, not %q", *receive)
	}
	if *video == "off" {
		a.Options.NoVideo = true
	} else {
		w, h, fps, err := parseVideo(*video)
		if err != nil {
			return a, err
		}
		a.Options.Width, a.Options.Height, a.Options.FPS = w, h, fps
	}
	if a.Options.Duration <= 0 {
		return a, fmt.Errorf("kaigi join: --duration must be positive")
	}
	if a.Count < 1 || a.Count > 100 {
		return a, fmt.Errorf("kaigi join: --count must be 1 to 100")
	}
	return a, nil
}

func parseVideo(s string) (w, h, fps int, err error) {
	size, rate, ok := strings.Cut(s, "@")
	ws, hs, ok2 := strings.Cut(size, "x")
	if !ok || !ok2 {
		return 0, 0, 0, fmt.Errorf("kaigi join: --video wants WxH@FPS, not %q", s)
	}
	w, err1 := strconv.Atoi(ws)
	h, err2 := strconv.Atoi(hs)
	fps, err3 := strconv.Atoi(rate)
	if err1 != nil || err2 != nil || err3 != nil || w < 64 || h < 64 || w > 3840 || h > 2160 || fps < 1 || fps > 60 {
		return 0, 0, 0, fmt.Errorf("kaigi join: --video wants WxH@FPS within 64x64..3840x2160 and 1..60 fps, not %q", s)
	}
	return w &^ 1, h &^ 1, fps, nil
}
