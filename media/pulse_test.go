package media

import (
	"context"
	"math"
	"testing"
	"time"

	"kaigi/internal/race"
	"kaigi/media/pattern"
	"kaigi/media/pulsetest"
	"kaigi/media/tone"
)

// startPulse runs a private PulseAudio server with a virtual microphone
// (vmic, which hears whatever plays into vspeaker) and a speaker (vout)
// whose monitor the test records, and a second set of each.
func startPulse(t *testing.T) {
	t.Helper()
	pulsetest.Start(t,
		"module-null-sink sink_name=vspeaker rate=48000",
		"module-virtual-source source_name=vmic master=vspeaker.monitor",
		"module-null-sink sink_name=vout rate=48000",
		"module-null-sink sink_name=vspeaker2 rate=48000",
		"module-virtual-source source_name=vmic2 master=vspeaker2.monitor",
		"module-null-sink sink_name=vout2 rate=48000")
}

// pickDevice picks the device whose system name contains want.
func pickDevice(t *testing.T, list func() ([]Device, error), want string) Device {
	t.Helper()
	ds, err := list()
	if err != nil {
		t.Fatal(err)
	}
	d, ok := FindDevice(ds, want)
	if !ok {
		t.Fatalf("no device %q among %+v", want, ds)
	}
	return d
}

// TestRealSoundPath plays a tone into a virtual microphone, captures it
// with malgo, sends it over loopback PeerConnections, plays what arrives
// into a virtual speaker, records that speaker, and finds the tone.
func TestRealSoundPath(t *testing.T) {
	startPulse(t)
	mic := pickDevice(t, ListMicrophones, "vmic")
	speaker := pickDevice(t, ListSpeakers, "vout")

	// Two people speaking: 587 Hz heard by vmic, 659 Hz by vmic2.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	playTone(t, ctx, "vspeaker", 587)
	playTone(t, ctx, "vspeaker2", 659)

	m, err := OpenMicrophone(mic.ID)
	if err != nil {
		t.Fatal(err)
	}
	local, err := NewLocal(LocalConfig{Audio: m, Video: pattern.NewSource(320, 240, 15, 0)})
	if err != nil {
		t.Fatal(err)
	}
	defer local.Close()
	remote, err := NewRemote(RemoteConfig{Playback: true, Speaker: speaker.ID})
	if err != nil {
		t.Fatal(err)
	}
	_, _, stop := connect(t, local, remote)
	time.Sleep(time.Second)

	checkSpeaker(t, "vout", 587)

	// Switch microphone and speaker in the call: the tracks stay, the
	// devices under them change.
	mic2 := pickDevice(t, ListMicrophones, "vmic2")
	speaker2 := pickDevice(t, ListSpeakers, "vout2")
	if err := local.SwitchMicrophone(mic2.ID); err != nil {
		t.Fatal(err)
	}
	if err := remote.SwitchSpeaker(speaker2.ID); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	checkSpeaker(t, "vout2", 659)
	stop()
	remote.Close()
	if err := local.Err(); err != nil {
		t.Errorf("local media failed: %v", err)
	}
}

// playTone plays hz into a sink until ctx ends.
func playTone(t *testing.T, ctx context.Context, sink string, hz float64) {
	var ph float64
	pulsetest.Play(t, ctx, sink, func(pcm []int16) { tone.Fill(pcm, hz, 8000, &ph) })
}

// checkSpeaker records a sink's monitor for 2 s and looks for hz.
func checkSpeaker(t *testing.T, sink string, hz float64) {
	t.Helper()
	rec := pulsetest.Record(t, sink+".monitor")
	time.Sleep(2 * time.Second)
	samples := rec.Stop()
	got, purity := tone.Dominant(samples)
	level := tone.Level(samples)
	t.Logf("%s played %.1f Hz (purity %.2f) at level %.3f over %d samples", sink, got, purity, level, len(samples))
	if (!race.Enabled && math.Abs(got-hz) > 2) || level < 0.01 {
		t.Errorf("%s played %.1f Hz at level %.3f, want %.0f Hz", sink, got, level, hz)
	}
}

// TestSwitchSpeakerOneAtATime switches speakers back and forth while a
// voice plays: one device plays at a time (go test -race watches the
// mix), and a device that cannot be opened leaves the old one playing.
func TestSwitchSpeakerOneAtATime(t *testing.T) {
	startPulse(t)
	out1 := pickDevice(t, ListSpeakers, "vout")
	out2 := pickDevice(t, ListSpeakers, "vout2")
	remote, err := NewRemote(RemoteConfig{Playback: true, Speaker: out1.ID})
	if err != nil {
		t.Fatal(err)
	}
	defer remote.Close()
	v := remote.mixer.add()
	defer remote.mixer.remove(v)
	pcm := make([]int16, tone.Rate/10)
	var ph float64
	for i := 0; i < 4; i++ {
		tone.Fill(pcm, 523, 8000, &ph)
		v.write(pcm)
		to := out1.ID
		if i%2 == 0 {
			to = out2.ID
		}
		if err := remote.SwitchSpeaker(to); err != nil {
			t.Fatal(err)
		}
	}
	if err := remote.SwitchSpeaker("no-such-device"); err == nil {
		t.Error("switched to a device that does not exist")
	}
	remote.mu.Lock()
	out, id := remote.out, remote.cfg.Speaker
	remote.mu.Unlock()
	if out == nil || id != out1.ID {
		t.Errorf("after a failed switch: playing %v on %q, want the last speaker", out != nil, id)
	}
}

// TestProcessingWithDevices runs the processing stage between a real
// microphone and a real speaker while both are switched (go test -race
// watches the speaker's callback feeding the echo canceller and the
// encoder's loop cleaning the microphone).
func TestProcessingWithDevices(t *testing.T) {
	startPulse(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	playTone(t, ctx, "vspeaker", 587)
	proc, err := NewProcessing(DefaultProcessing)
	if err != nil {
		t.Fatal(err)
	}
	defer proc.Close()
	m, err := OpenMicrophone(pickDevice(t, ListMicrophones, "vmic").ID)
	if err != nil {
		t.Fatal(err)
	}
	local, err := NewLocal(LocalConfig{Audio: m, Processing: proc})
	if err != nil {
		t.Fatal(err)
	}
	defer local.Close()
	remote, err := NewRemote(RemoteConfig{Playback: true, Speaker: pickDevice(t, ListSpeakers, "vout").ID, Processing: proc})
	if err != nil {
		t.Fatal(err)
	}
	defer remote.Close()
	v := remote.mixer.add()
	defer remote.mixer.remove(v)
	pcm := make([]int16, tone.Rate/10)
	var ph float64
	for i := 0; i < 10; i++ {
		tone.Fill(pcm, 440, 8000, &ph)
		v.write(pcm)
		time.Sleep(100 * time.Millisecond)
		switch i {
		case 3:
			if err := remote.SwitchSpeaker(pickDevice(t, ListSpeakers, "vout2").ID); err != nil {
				t.Fatal(err)
			}
		case 6:
			if err := local.SwitchMicrophone(pickDevice(t, ListMicrophones, "vmic2").ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := local.Err(); err != nil {
		t.Errorf("local media failed: %v", err)
	}
	if local.AudioLevel() == 0 && local.Stats().AudioPackets == 0 {
		t.Error("nothing was captured and sent")
	}
}
