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

func TestLevelAt(t *testing.T) {
	pcm := make([]int16, Rate)
	var ph float64
	Fill(pcm, 440, 10000, &ph)
	other := make([]int16, Rate)
	ph = 0
	Fill(other, 660, 3000, &ph)
	for i := range pcm {
		pcm[i] += other[i]
	}
	want440, want660 := 10000/math.Sqrt2/32768, 3000/math.Sqrt2/32768
	if got := LevelAt(pcm, 440); math.Abs(got-want440) > 0.01*want440 {
		t.Errorf("440 Hz at %.4f, want %.4f", got, want440)
	}
	if got := LevelAt(pcm, 660); math.Abs(got-want660) > 0.01*want660 {
		t.Errorf("660 Hz at %.4f, want %.4f", got, want660)
	}
	if got := LevelAt(pcm, 550); got > 0.001*want440 {
		t.Errorf("550 Hz (absent) at %.5f", got)
	}
}

func TestBandLevel(t *testing.T) {
	pcm := make([]int16, Rate)
	var ph float64
	Fill(pcm, 440, 10000, &ph)
	want := 10000 / math.Sqrt2 / 32768
	if got := BandLevel(pcm, 400, 500); math.Abs(got-want) > 0.02*want {
		t.Errorf("400-500 Hz at %.4f, want %.4f", got, want)
	}
	if got := BandLevel(pcm, 1000, 8000); got > 0.01*want {
		t.Errorf("1-8 kHz at %.5f, want about 0", got)
	}
}
