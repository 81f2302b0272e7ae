package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kaigi/media/pattern"
	"kaigi/media/tone"
)

// startPulse runs a private PulseAudio server with a virtual microphone
// (vmic, which hears whatever plays into vspeaker) and a speaker (vout)
// whose monitor the test records. There is no sound card here: null sinks
// stand in for the hardware, the sound system itself is real.
func startPulse(t *testing.T) {
	t.Helper()
	bin, err := exec.LookPath("pulseaudio")
	if err != nil {
		t.Skip("PulseAudio is not installed (make test installs it): skipping the real sound path")
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_RUNTIME_DIR", dir)
	t.Setenv("PULSE_SERVER", "unix:"+filepath.Join(dir, "pulse", "native"))
	cmd := exec.Command(bin, "--daemonize=no", "-n", "--exit-idle-time=-1", "--disable-shm=yes",
		"--load=module-native-protocol-unix",
		"--load=module-null-sink sink_name=vspeaker rate=48000",
		"--load=module-virtual-source source_name=vmic master=vspeaker.monitor",
		"--load=module-null-sink sink_name=vout rate=48000",
		"--load=module-null-sink sink_name=vspeaker2 rate=48000",
		"--load=module-virtual-source source_name=vmic2 master=vspeaker2.monitor",
		"--load=module-null-sink sink_name=vout2 rate=48000")
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Skipf("PulseAudio cannot start here: %v", err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	for i := 0; i < 50; i++ {
		if exec.Command("pactl", "info").Run() == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Skipf("PulseAudio did not come up: %s", log.String())
}

// pickDevice picks the device whose system name contains want.
func pickDevice(t *testing.T, list func() ([]Device, error), want string) Device {
	t.Helper()
	ds, err := list()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		raw, _ := hex.DecodeString(d.ID)
		if strings.Contains(string(raw), want) || strings.Contains(d.Name, want) {
			return d
		}
	}
	t.Fatalf("no device %q among %+v", want, ds)
	return Device{}
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
	play := exec.CommandContext(ctx, "pacat", "--playback", "--device="+sink, "--raw", "--format=s16le", "--rate=48000", "--channels=1")
	in, err := play.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := play.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		pcm := make([]int16, 4800)
		var ph float64
		for ctx.Err() == nil {
			tone.Fill(pcm, hz, 8000, &ph)
			if binary.Write(in, binary.LittleEndian, pcm) != nil {
				return
			}
		}
	}()
}

// checkSpeaker records a sink's monitor for 2 s and looks for hz.
func checkSpeaker(t *testing.T, sink string, hz float64) {
	t.Helper()
	rec := exec.Command("parec", "--device="+sink+".monitor", "--raw", "--format=s16le", "--rate=48000", "--channels=1")
	var out bytes.Buffer
	rec.Stdout = &out
	if err := rec.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second)
	_ = rec.Process.Kill()
	_ = rec.Wait()
	samples := make([]int16, out.Len()/2)
	_ = binary.Read(bytes.NewReader(out.Bytes()[:len(samples)*2]), binary.LittleEndian, samples)
	got, purity := tone.Dominant(samples)
	level := tone.Level(samples)
	t.Logf("%s played %.1f Hz (purity %.2f) at level %.3f over %d samples", sink, got, purity, level, len(samples))
	if math.Abs(got-hz) > 2 || level < 0.01 {
		t.Errorf("%s played %.1f Hz at level %.3f, want %.0f Hz", sink, got, level, hz)
	}
}
