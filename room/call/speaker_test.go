package call

import (
	"testing"
	"time"
)

// TestDominant: the first voice is shown at once; another must stay the
// loudest for DominantAfter; voices taking turns as the loudest every
// quarter second change nothing; silence keeps the last; someone who
// leaves is forgotten.
func TestDominant(t *testing.T) {
	var d Dominant
	t0 := time.Unix(1000, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	steps := []struct {
		ms      int
		loudest string
		changed bool
		current string
	}{
		{0, "", false, ""},
		{250, "a", true, "a"}, // the first voice
		{500, "b", false, "a"},
		{750, "c", false, "a"}, // b, c, b, c: crosstalk
		{1000, "b", false, "a"},
		{1250, "c", false, "a"},
		{1500, "a", false, "a"},
		{1750, "b", false, "a"}, // b from now on
		{2000, "b", false, "a"},
		{2500, "", false, "a"}, // silence breaks b's run
		{2750, "b", false, "a"},
		{3500, "b", false, "a"},
		{3750, "b", true, "b"}, // a second of b
		{4000, "", false, "b"},
		{9000, "", false, "b"}, // silence keeps b
	}
	for _, s := range steps {
		if got := d.Update(s.loudest, at(s.ms)); got != s.changed || d.Current() != s.current {
			t.Fatalf("at %d ms, loudest %q: changed %v, current %q; want %v, %q", s.ms, s.loudest, got, d.Current(), s.changed, s.current)
		}
	}
	d.Update("c", at(9250))
	d.Forget("c")
	d.Update("c", at(10000)) // a new run: c's earlier start is forgotten
	if d.Current() != "b" {
		t.Errorf("a candidate who left and came back took over early: %q", d.Current())
	}
	d.Forget("b")
	if d.Current() != "" || !d.Update("c", at(10250)) || d.Current() != "c" {
		t.Errorf("after the dominant speaker left, the next voice is not shown at once: %q", d.Current())
	}
}
