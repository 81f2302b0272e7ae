// Package tone makes the test tone a synthetic microphone sends and finds
// the frequency and level of received sound, so tests can tell who is
// heard: each participant sends its own frequency.
package tone

import (
	"context"
	"math"
	"math/cmplx"
	"time"

	"kaigi/media/pace"
)

// Rate is the sample rate everything in Kaigi's audio path uses.
const Rate = 48000

// Source is a paced synthetic microphone playing a sine tone.
type Source struct {
	hz    float64
	amp   float64
	phase float64
	clock pace.Clock
}

// NewSource plays hz at a comfortable level (-10 dBFS).
func NewSource(hz float64) *Source { return &Source{hz: hz, amp: 0.316 * 32767} }

// ReadAudio waits until the samples are due and fills pcm (mono, Rate).
func (s *Source) ReadAudio(ctx context.Context, pcm []int16) error {
	if err := s.clock.Wait(ctx, time.Duration(len(pcm))*time.Second/Rate); err != nil {
		return err
	}
	Fill(pcm, s.hz, s.amp, &s.phase)
	return nil
}

// Close does nothing; a synthetic microphone holds no device.
func (s *Source) Close() error { return nil }

// Fill writes a sine of hz at amplitude amp into pcm, continuing from
// *phase.
func Fill(pcm []int16, hz, amp float64, phase *float64) {
	step := 2 * math.Pi * hz / Rate
	for i := range pcm {
		pcm[i] = int16(amp * math.Sin(*phase))
		*phase += step
		if *phase > 2*math.Pi {
			*phase -= 2 * math.Pi
		}
	}
}

// Level is the RMS level of pcm, 0..1 of full scale.
func Level(pcm []int16) float64 {
	if len(pcm) == 0 {
		return 0
	}
	var sum float64
	for _, v := range pcm {
		f := float64(v) / 32768
		sum += f * f
	}
	return math.Sqrt(sum / float64(len(pcm)))
}

// Dominant is the strongest frequency in pcm (mono, Rate), found with a
// Hann-windowed FFT over the last power-of-two samples and refined between
// bins, and its share of the total energy (0..1: how tone-like it is).
// It returns 0 for silence or fewer than 1024 samples.
func Dominant(pcm []int16) (hz, purity float64) {
	n := 1
	for n*2 <= len(pcm) && n < 1<<15 {
		n *= 2
	}
	if n < 1024 {
		return 0, 0
	}
	pcm = pcm[len(pcm)-n:]
	x := make([]complex128, n)
	for i, v := range pcm {
		w := 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(n-1))
		x[i] = complex(float64(v)*w, 0)
	}
	fft(x)
	mag := make([]float64, n/2)
	var total float64
	best := 1
	for i := 1; i < n/2; i++ {
		mag[i] = cmplx.Abs(x[i])
		total += mag[i] * mag[i]
		if mag[i] > mag[best] {
			best = i
		}
	}
	if total == 0 || mag[best] < 1 {
		return 0, 0
	}
	// Parabolic interpolation on log magnitudes around the peak.
	delta := 0.0
	if best > 1 && best < n/2-1 {
		a, b, c := math.Log(mag[best-1]+1e-9), math.Log(mag[best]), math.Log(mag[best+1]+1e-9)
		if d := a - 2*b + c; d != 0 {
			delta = 0.5 * (a - c) / d
		}
	}
	peak := 0.0
	for i := max(1, best-3); i <= min(n/2-1, best+3); i++ {
		peak += mag[i] * mag[i]
	}
	return (float64(best) + delta) * Rate / float64(n), peak / total
}

// fft is an in-place radix-2 FFT (len(x) a power of two).
func fft(x []complex128) {
	n := len(x)
	for i, j := 1, 0; i < n; i++ {
		bit := n >> 1
		for ; j&bit != 0; bit >>= 1 {
			j ^= bit
		}
		j ^= bit
		if i < j {
			x[i], x[j] = x[j], x[i]
		}
	}
	for size := 2; size <= n; size <<= 1 {
		step := cmplx.Exp(complex(0, -2*math.Pi/float64(size)))
		for start := 0; start < n; start += size {
			w := complex(1, 0)
			for k := 0; k < size/2; k++ {
				a, b := x[start+k], x[start+k+size/2]*w
				x[start+k], x[start+k+size/2] = a+b, a-b
				w *= step
			}
		}
	}
}

// LevelAt is the RMS level (0..1 of full scale) of the part of pcm near
// hz (within a few Hz over a second of sound): one Hann-windowed DFT bin,
// so a test can tell one tone from another in the same sound.
func LevelAt(pcm []int16, hz float64) float64 {
	n := len(pcm)
	if n < 2 {
		return 0
	}
	var re, im, wsum float64
	step := 2 * math.Pi * hz / Rate
	for i, v := range pcm {
		w := 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(n-1))
		wsum += w
		s, c := math.Sincos(step * float64(i))
		re += w * float64(v) * c
		im -= w * float64(v) * s
	}
	amp := 2 * math.Hypot(re, im) / wsum
	return amp / math.Sqrt2 / 32768
}

// BandLevel is the RMS level (0..1 of full scale) of what pcm holds
// between lo and hi Hz (an FFT over the last power-of-two samples, up to
// 32768, Hann-windowed): for noise measured away from the tones in the
// same sound.
func BandLevel(pcm []int16, lo, hi float64) float64 {
	n := 1
	for n*2 <= len(pcm) && n < 1<<15 {
		n *= 2
	}
	if n < 256 {
		return 0
	}
	pcm = pcm[len(pcm)-n:]
	x := make([]complex128, n)
	var wsq float64
	for i, v := range pcm {
		w := 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(n-1))
		wsq += w * w
		x[i] = complex(w*float64(v)/32768, 0)
	}
	fft(x)
	var sum float64
	for i := 1; i < n/2; i++ {
		if f := float64(i) * Rate / float64(n); f >= lo && f <= hi {
			sum += 2 * real(x[i]*cmplx.Conj(x[i]))
		}
	}
	// Parseval, with the Hann window's own energy taken out.
	return math.Sqrt(sum / (float64(n) * wsq))
}
