// Package pattern draws the synthetic test picture Kaigi sends when there
// is no camera (tests, demos, headless participants), and reads it back:
// each frame carries its frame counter and capture time in two rows of
// large black and white blocks across the top, which survive lossy video
// coding, so a receiver can count lost frames and measure glass-to-glass
// latency from the pixels alone.
package pattern

import (
	"errors"
	"time"
)

// bits per stamp row: 32 data bits and an 8-bit check.
const rowBits = 40

// BlockSize is the side of one stamp block for a picture width.
func BlockSize(width int) int {
	b := width / rowBits
	if b < 4 {
		b = 4
	}
	return b &^ 1
}

// StampRows is how many luma rows hold the stamp.
func StampRows(width int) int { return 2 * BlockSize(width) }

// Stamp is what a frame carries.
type Stamp struct {
	Counter uint32
	Millis  uint32 // capture time: Unix milliseconds, modulo 2^32
}

// MillisOf is a time in a stamp's clock.
func MillisOf(t time.Time) uint32 { return uint32(t.UnixMilli()) }

// Age is how long ago, in milliseconds, a stamp's capture time was at now
// (on the same machine or synchronised clocks).
func (s Stamp) Age(now time.Time) float64 {
	return float64(int32(MillisOf(now) - s.Millis))
}

func check(v uint32) uint32 {
	return (v ^ v>>8 ^ v>>16 ^ v>>24 ^ 0xa5) & 0xff
}

// Draw fills an I420 frame (w*h*3/2 bytes) with the moving picture for
// frame n, colour-tinted by hue (0..255) so participants look different,
// and stamps it.
func Draw(dst []byte, w, h int, n uint32, hue uint8, s Stamp) {
	y := dst[:w*h]
	u := dst[w*h : w*h+w*h/4]
	v := dst[w*h+w*h/4 : w*h*3/2]
	shift := int(n * 4)
	// A diagonal gradient sliding to the right, and a bright square
	// bouncing across: motion a codec must follow, cheap to draw.
	for row := 0; row < h; row++ {
		line := y[row*w : row*w+w]
		base := row + shift
		for x := range line {
			line[x] = byte(48 + (x+base)&127)
		}
	}
	side := h / 4
	span := w - side
	px := int(n*6) % (2 * span)
	if px > span {
		px = 2*span - px
	}
	py := h/2 - side/2 + int(float64(h/4)*triangle(n))
	for row := py; row < py+side && row < h; row++ {
		if row < 0 {
			continue
		}
		line := y[row*w : row*w+w]
		for x := px; x < px+side && x < w; x++ {
			line[x] = 220
		}
	}
	cu, cv := byte(128+int(hue)/4-32), byte(160-int(hue)/4)
	for i := range u {
		u[i] = cu
		v[i] = cv
	}
	Write(y, w, s)
}

func triangle(n uint32) float64 {
	p := float64(n%90) / 90
	if p < 0.5 {
		return 4*p - 1
	}
	return 3 - 4*p
}

// Write writes s into the top rows of a luma plane of width w.
func Write(y []byte, w int, s Stamp) {
	b := BlockSize(w)
	for r, word := range []uint32{s.Counter, s.Millis} {
		bits := uint64(word) | uint64(check(word))<<32
		for i := 0; i < rowBits; i++ {
			val := byte(16)
			if bits>>i&1 == 1 {
				val = 235
			}
			for yy := r * b; yy < (r+1)*b; yy++ {
				line := y[yy*w : yy*w+w]
				for x := i * b; x < (i+1)*b; x++ {
					line[x] = val
				}
			}
		}
	}
}

// ErrNoStamp says the picture carries no readable stamp.
var ErrNoStamp = errors.New("pattern: no stamp")

// Read reads the stamp from the top rows of a luma plane of width w (at
// least StampRows(w) rows).
func Read(y []byte, w int) (Stamp, error) {
	b := BlockSize(w)
	if len(y) < 2*b*w || w < rowBits*b {
		return Stamp{}, ErrNoStamp
	}
	var words [2]uint32
	for r := range words {
		var bits uint64
		cy := r*b + b/2
		for i := 0; i < rowBits; i++ {
			cx := i*b + b/2
			// Four pixels around the block's centre, far from its edges
			// where coding artefacts bleed.
			sum := int(y[cy*w+cx]) + int(y[cy*w+cx-1]) + int(y[(cy-1)*w+cx]) + int(y[(cy-1)*w+cx-1])
			if sum > 4*128 {
				bits |= 1 << i
			}
		}
		word := uint32(bits)
		if uint32(bits>>32)&0xff != check(word) {
			return Stamp{}, ErrNoStamp
		}
		words[r] = word
	}
	return Stamp{Counter: words[0], Millis: words[1]}, nil
}
