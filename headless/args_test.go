package headless

import (
	"io"
	"testing"
	"time"
)

func TestParseArgs(t *testing.T) {
	a, err := ParseArgs([]string{"--headless", "https://h/group/g/", "--name", "Bot", "--duration", "5s",
		"--video", "320x241@15", "--count", "9", "--send-only", "--replay",
		"--microphone", "vmic", "--speaker", "vout", "--audio-processing=off", "--adaptation", "off", "--simulcast=off"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	o := a.Options
	if a.LinkText != "https://h/group/g/" || !a.Headless || a.Count != 9 || o.Name != "Bot" || o.Duration != 5*time.Second ||
		o.Width != 320 || o.Height != 240 || o.FPS != 15 || !o.SendOnly || !o.Replay ||
		o.Microphone != "vmic" || o.Speaker != "vout" || !o.NoAudioProcessing || !o.NoAdaptation || !o.NoSimulcast {
		t.Errorf("parsed %+v", a)
	}
	if a, err := ParseArgs([]string{"l"}, io.Discard); err != nil || a.Options.NoAudioProcessing || a.Options.NoAdaptation || a.Options.NoSimulcast {
		t.Errorf("audio processing is not on by default: %+v %v", a.Options, err)
	}
	a, err = ParseArgs([]string{"https://h/group/g/", "--fake-media"}, io.Discard)
	if err != nil || !a.FakeMedia || a.Headless {
		t.Errorf("--fake-media without --headless: %+v %v", a, err)
	}
	a, err = ParseArgs([]string{"l", "--video", "off", "--receive", "count"}, io.Discard)
	if err != nil || !a.Options.NoVideo || !a.Options.CountOnly || !a.Options.LowVideo {
		t.Errorf("--video off --receive count: %+v %v", a.Options, err)
	}
	a, err = ParseArgs([]string{"l", "--count", "5", "--mute", "--turns", "--turns-after", "10s"}, io.Discard)
	if err != nil || !a.Options.StartAudioMuted || !a.Turns || a.TurnsAfter != 10*time.Second {
		t.Errorf("--mute --turns --turns-after 10s: %+v %v", a, err)
	}
	a, err = ParseArgs([]string{"l", "--receive", "low"}, io.Discard)
	if err != nil || a.Options.NoVideo || a.Options.CountOnly || !a.Options.LowVideo {
		t.Errorf("--receive low: %+v %v", a.Options, err)
	}
	for _, bad := range [][]string{
		{},                    // no link
		{"a", "b"},            // two links
		{"l", "--count", "0"}, // nobody
		{"l", "--count", "101"},
		{"l", "--duration", "0s"},
		{"l", "--video", "10x10@30"},
		{"l", "--video", "640x480"},
		{"l", "--tone", "loud"},
		{"l", "--audio-processing", "maybe"},
		{"l", "--adaptation", "sometimes"},
		{"l", "--receive", "some"},
		{"l", "--simulcast", "both"},
	} {
		if _, err := ParseArgs(bad, io.Discard); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
