package turns

import (
	"testing"
	"time"
)

func TestSchedule(t *testing.T) {
	t0 := time.Unix(1000, 0)
	s := Schedule{N: 6, Start: t0}
	for _, c := range []struct {
		at       time.Duration
		speaking []int
	}{
		{-time.Second, nil},
		{0, []int{0, 3}},
		{Length - time.Millisecond, []int{0, 3}},
		{Length, []int{1, 4}},
		{2 * Length, []int{2, 5}},
		{3 * Length, []int{0, 3}}, // round again
	} {
		var got []int
		for i := range s.N {
			if s.Speaking(i, t0.Add(c.at)) {
				got = append(got, i)
			}
		}
		if len(got) != len(c.speaking) || (len(got) == 2 && (got[0] != c.speaking[0] || got[1] != c.speaking[1])) {
			t.Errorf("at %v: %v speak, want %v", c.at, got, c.speaking)
		}
	}
	if one := (Schedule{N: 1, Start: t0}); !one.Speaking(0, t0.Add(time.Hour)) {
		t.Error("one participant alone should speak throughout")
	}
}
