package media

import (
	"fmt"
	"testing"
	"time"

	"kaigi/media/pattern"
)

func TestAdapterLadder(t *testing.T) {
	a := newAdapter(640, 480, 30)
	t0 := time.Unix(1000, 0)
	at := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	size := func(r rung) string {
		if r.step == 0 {
			return "paused"
		}
		return fmt.Sprintf("%d:%dx%d", r.step, 640*r.num/r.den, 480*r.num/r.den)
	}
	steps := []struct {
		s      float64
		budget int
		want   string
	}{
		{0, 800_000, "1:640x480"},
		{1, 300_000, "1:640x480"},   // 640x480 holds down to 276k
		{2, 200_000, "1:640x480"},   // short, but not for downHold yet
		{3.1, 200_000, "1:480x360"}, // 480x360 holds down to 155k
		{4, 150_000, "1:480x360"},
		{5.1, 150_000, "2:320x240"},
		{6, 10_000, "paused"},  // short by more than half: at once
		{7, 200_000, "paused"}, // the step up waits upHold
		{10.1, 200_000, "2:320x240"},
		{11, 10_000, "2:320x240"}, // too young to fall back (upGrace)
		{12.2, 10_000, "paused"},
		{17.3, 10_000, "2:320x240"}, // probe after pausedProbe
		{20, 600_000, "2:320x240"},
		{23.1, 600_000, "1:480x360"},
		{24, 600_000, "1:480x360"}, // the hold starts with the first budget after the step
		{27.1, 600_000, "1:640x480"},
		{28, 280_000, "1:640x480"}, // within the hysteresis
		{29.5, 270_000, "1:640x480"},
		{30.6, 270_000, "1:480x360"},
	}
	for _, st := range steps {
		if got := size(a.update(st.budget, at(st.s))); got != st.want {
			t.Errorf("at %.1f s with %d bit/s: %s, want %s", st.s, st.budget, got, st.want)
		}
	}
}

// TestAdapterProbeBackoff: a probe out of paused that fails doubles the
// wait before the next (5, 10, 20, 20 s); one that holds for
// probeConfirm brings the wait back to 5 s.
func TestAdapterProbeBackoff(t *testing.T) {
	t0 := time.Unix(1000, 0)
	a := newAdapter(640, 480, 30)
	a.update(800_000, t0)
	now := t0.Add(100 * time.Millisecond)
	if r := a.update(10_000, now); r.step != 0 {
		t.Fatalf("not paused: %+v", r)
	}
	// probeAfter waits on a narrow link and says when the next probe came.
	probeAfter := func(limit time.Duration) time.Duration {
		t.Helper()
		from := now
		for now.Sub(from) <= limit {
			now = now.Add(100 * time.Millisecond)
			if a.update(10_000, now).step != 0 {
				took := now.Sub(from)
				// The probe fails: the budget is short by half, past upGrace.
				now = now.Add(upGrace + 100*time.Millisecond)
				if r := a.update(10_000, now); r.step != 0 {
					t.Fatalf("the failed probe did not pause again: %+v", r)
				}
				return took
			}
		}
		t.Fatalf("no probe within %s", limit)
		return 0
	}
	first := probeAfter(6 * time.Second)
	for i, want := range []time.Duration{2 * pausedProbe, 4 * pausedProbe, maxProbeWait} {
		if got := probeAfter(want + time.Second); got < want {
			t.Errorf("probe %d after %s paused, want ≥ %s (the first after %s)", i+2, got, want, first)
		}
	}
	// A probe that holds: the budget allows the lowest rung for probeConfirm.
	for from := now; ; {
		now = now.Add(100 * time.Millisecond)
		if a.update(10_000, now).step != 0 {
			break
		}
		if now.Sub(from) > maxProbeWait+time.Second {
			t.Fatal("no probe")
		}
	}
	for end := now.Add(probeConfirm + time.Second); now.Before(end); now = now.Add(100 * time.Millisecond) {
		a.update(120_000, now)
	}
	a.update(10_000, now)
	now = now.Add(100 * time.Millisecond)
	if r := a.update(10_000, now); r.step != 0 {
		t.Fatalf("not paused again: %+v", r)
	}
	if got := probeAfter(maxProbeWait); got > pausedProbe+time.Second {
		t.Errorf("after a probe that held, the next came after %s, want %s", got, pausedProbe)
	}
}

// TestAdapterStall: a stall (budget 0) takes the video to its lowest rung
// at once, whatever the holds, and the first budget after it takes the
// video straight back to the rung it left; a stall while paused stays
// paused.
func TestAdapterStall(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	a := newAdapter(640, 480, 30)
	lowest, top := videoLadder[len(videoLadder)-2], videoLadder[0]
	if got := a.update(800_000, at(0)); got != top {
		t.Fatalf("start: %+v", got)
	}
	if got := a.update(0, at(0.1)); got != lowest {
		t.Errorf("stalled: %+v, want the lowest rung %+v", got, lowest)
	}
	if got := a.update(0, at(9)); got != lowest {
		t.Errorf("stalled for 9 s: %+v, want the lowest rung (no probing, no pause)", got)
	}
	if got := a.update(800_000, at(9.1)); got != top {
		t.Errorf("feedback back: %+v, want the rung the stall left %+v", got, top)
	}
	// Just back up, and a short dip is not taken as congestion yet (upGrace).
	if got := a.update(200_000, at(9.5)); got != top {
		t.Errorf("dip after the stall: %+v", got)
	}
	p := newAdapter(640, 480, 30)
	p.update(800_000, at(0))
	p.update(10_000, at(0.1)) // short by half: paused at once
	if got := p.update(0, at(0.2)); got.step != 0 {
		t.Errorf("stalled while paused: %+v, want paused", got)
	}
}

// TestScaleKeepsStamp: the test pattern's stamp is still read after the
// picture is scaled down the ladder (receivers count gaps by it).
func TestScaleKeepsStamp(t *testing.T) {
	src := make([]byte, 640*480*3/2)
	pattern.Draw(src, 640, 480, 7, 100, pattern.Stamp{Counter: 1234, Millis: 99})
	for _, r := range videoLadder[1:3] {
		w, h := 640*r.num/r.den, 480*r.num/r.den
		dst := make([]byte, w*h*3/2)
		scaleI420(src, 640, 480, dst, w, h)
		st, err := pattern.Read(dst, w)
		if err != nil || st.Counter != 1234 {
			t.Errorf("%dx%d: %+v %v", w, h, st, err)
		}
	}
}

func BenchmarkScale(b *testing.B) {
	src := make([]byte, 640*480*3/2)
	dst := make([]byte, 480*360*3/2)
	for b.Loop() {
		scaleI420(src, 640, 480, dst, 480, 360)
	}
}
