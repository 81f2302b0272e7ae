package tone

import (
	"math"
	"testing"
)

func TestDominant(t *testing.T) {
	for _, hz := range []float64{220, 440, 523.25, 880, 1234} {
		pcm := make([]int16, 8192)
		var ph float64
		Fill(pcm, hz, 10000, &ph)
		got, purity := Dominant(pcm)
		if math.Abs(got-hz) > 0.5 || purity < 0.9 {
			t.Errorf("%.2f Hz: found %.2f Hz, purity %.2f", hz, got, purity)
		}
	}
	if hz, _ := Dominant(make([]int16, 8192)); hz != 0 {
		t.Errorf("silence has a tone of %.1f Hz", hz)
	}
	if l := Level(make([]int16, 100)); l != 0 {
		t.Errorf("silence level %f", l)
	}
}
