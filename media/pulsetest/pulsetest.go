// Package pulsetest runs a private PulseAudio server for tests, with
// virtual devices instead of hardware (there is no sound card on the test
// machines; the sound system itself is real), and plays and records
// through it.
package pulsetest

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"
)

// Start runs PulseAudio with the native protocol and the modules given
// ("module-null-sink sink_name=x rate=48000", ...) for the rest of the
// test: PULSE_SERVER points at it, so malgo, pactl, pacat and parec of
// this test use it. The test is skipped where PulseAudio is missing or
// cannot start.
func Start(t testing.TB, modules ...string) {
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
	args := []string{"--daemonize=no", "-n", "--exit-idle-time=-1", "--disable-shm=yes",
		"--load=module-native-protocol-unix"}
	for _, m := range modules {
		args = append(args, "--load="+m)
	}
	cmd := exec.Command(bin, args...)
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

// Play streams what fill makes (mono, 48 kHz, 100 ms at a time) into a
// sink until ctx ends.
func Play(t testing.TB, ctx context.Context, sink string, fill func(pcm []int16)) {
	t.Helper()
	play := exec.CommandContext(ctx, "pacat", "--playback", "--device="+sink, "--raw", "--format=s16le",
		"--rate=48000", "--channels=1", "--latency-msec=50")
	in, err := play.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := play.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer func() { _ = play.Wait() }()
		pcm := make([]int16, 4800)
		for ctx.Err() == nil {
			fill(pcm)
			if binary.Write(in, binary.LittleEndian, pcm) != nil {
				return
			}
		}
	}()
}

// Recording is what a source heard, from Record on.
type Recording struct {
	Start time.Time // when Record was called
	End   time.Time // when Stop was called
	cmd   *exec.Cmd
	mu    sync.Mutex
	data  []byte
	marks []mark
	done  chan struct{}
}

// mark says when the recording had n bytes: the samples' times come from
// when they arrived, since parec starts late and a busy machine makes it
// drop some.
type mark struct {
	at time.Time
	n  int
}

// Record records a source (a sink's monitor is "SINK.monitor") until
// Stop; it returns once the first samples arrived (parec can take seconds
// to start on a busy machine).
func Record(t testing.TB, source string) *Recording {
	t.Helper()
	r := &Recording{cmd: exec.Command("parec", "--device="+source, "--raw", "--format=s16le", "--rate=48000",
		"--channels=1", "--latency-msec=20"), done: make(chan struct{})}
	out, err := r.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r.Start = time.Now()
	first := make(chan struct{})
	var once sync.Once
	go func() {
		defer close(r.done)
		defer once.Do(func() { close(first) })
		buf := make([]byte, 9600)
		for {
			n, err := out.Read(buf)
			now := time.Now()
			r.mu.Lock()
			r.data = append(r.data, buf[:n]...)
			if n > 0 {
				r.marks = append(r.marks, mark{now, len(r.data)})
			}
			r.mu.Unlock()
			if n > 0 {
				once.Do(func() { close(first) })
			}
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() { r.Stop() })
	select {
	case <-first:
	case <-time.After(10 * time.Second):
		t.Fatalf("parec recorded nothing from %s in 10 s", source)
	}
	return r
}

// Stop ends the recording and returns every sample.
func (r *Recording) Stop() []int16 {
	if r.cmd.ProcessState == nil {
		r.End = time.Now()
		_ = r.cmd.Process.Kill()
		<-r.done
		_ = r.cmd.Wait()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	pcm := make([]int16, len(r.data)/2)
	_ = binary.Read(bytes.NewReader(r.data[:len(pcm)*2]), binary.LittleEndian, pcm)
	return pcm
}

// Index is the sample heard at t, after Stop (-1 before the first
// sample, past the end after the last).
func (r *Recording) Index(t time.Time) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	i := sort.Search(len(r.marks), func(i int) bool { return !r.marks[i].at.Before(t) })
	if i == len(r.marks) {
		return len(r.data)/2 + 1
	}
	m := r.marks[i]
	idx := m.n/2 - int(m.at.Sub(t).Seconds()*48000)
	if i > 0 {
		idx = max(idx, r.marks[i-1].n/2)
	} else if idx < 0 {
		return -1
	}
	return idx
}
