package yuv

import (
	"image"
	"testing"
)

func TestSize(t *testing.T) {
	for _, c := range []struct {
		w, h, tw, th int
		cover        bool
		ow, oh       int
	}{
		{640, 480, 324, 300, true, 324, 300},  // grid tile: its own shape
		{640, 480, 324, 300, false, 324, 243}, // contained: the picture's shape
		{640, 480, 1280, 720, true, 640, 360}, // larger than the picture: its resolution
		{640, 480, 900, 900, true, 480, 480},
		{640, 480, 992, 604, false, 640, 480},
		{640, 480, 0, 300, true, 640, 480}, // not laid out yet
		{320, 240, 200, 120, true, 200, 120},
	} {
		if ow, oh := Size(c.w, c.h, c.tw, c.th, c.cover); ow != c.ow || oh != c.oh {
			t.Errorf("Size(%d, %d, %d, %d, %v) = %d, %d; want %d, %d", c.w, c.h, c.tw, c.th, c.cover, ow, oh, c.ow, c.oh)
		}
	}
}

// flat is a w x h frame of one colour.
func flat(w, h int, y, u, v byte) Frame {
	buf := make([]byte, w*h+2*((w+1)/2)*((h+1)/2))
	f := FromI420(buf, w, h)
	for i := range f.Y {
		f.Y[i] = y
	}
	for i := range f.U {
		f.U[i], f.V[i] = u, v
	}
	return f
}

// TestColours: BT.601 limited range, as the decoder's pictures are.
func TestColours(t *testing.T) {
	var c Converter
	for _, k := range []struct {
		name    string
		y, u, v byte
		rgb     [3]int
	}{
		{"black", 16, 128, 128, [3]int{0, 0, 0}},
		{"white", 235, 128, 128, [3]int{255, 255, 255}},
		{"grey", 126, 128, 128, [3]int{128, 128, 128}},
		{"red", 81, 90, 240, [3]int{255, 0, 0}},
		{"green", 145, 54, 34, [3]int{0, 255, 0}},
		{"blue", 41, 240, 110, [3]int{0, 0, 255}},
	} {
		for _, size := range []image.Point{{64, 48}, {30, 30}, {64, 48 * 2}} {
			dst := image.NewRGBA(image.Rectangle{Max: size})
			c.ToRGBA(dst, flat(64, 48, k.y, k.u, k.v))
			for i := 0; i < len(dst.Pix); i += 4 {
				for j := range 3 {
					if d := int(dst.Pix[i+j]) - k.rgb[j]; d < -3 || d > 3 {
						t.Fatalf("%s at %v: pixel %d is %v, want %v", k.name, size, i/4, dst.Pix[i:i+4], k.rgb)
					}
				}
				if dst.Pix[i+3] != 255 {
					t.Fatalf("%s: alpha %d", k.name, dst.Pix[i+3])
				}
			}
		}
	}
}

// TestCoverCrops: a tile narrower than the picture shows its middle.
func TestCoverCrops(t *testing.T) {
	f := flat(64, 48, 235, 128, 128)
	// Dark bands at the left and right eighths.
	for y := range 48 {
		for x := range 64 {
			if x < 8 || x >= 56 {
				f.Y[y*f.YStride+x] = 16
			}
		}
	}
	var c Converter
	dst := image.NewRGBA(image.Rect(0, 0, 24, 24)) // square: 48 of the 64 columns
	c.ToRGBA(dst, f)
	for i := 0; i < len(dst.Pix); i += 4 {
		if dst.Pix[i] < 200 {
			t.Fatalf("pixel %d,%d is %v: the cropped edges show", (i/4)%24, (i/4)/24, dst.Pix[i:i+4])
		}
	}
}

// gradient is a smooth w x h frame, with strides wider than the picture
// (as a decoder's are).
func gradient(w, h int) Frame {
	ys, cs := w+32, (w+1)/2+16
	ch := (h + 1) / 2
	f := Frame{Y: make([]byte, ys*h), U: make([]byte, cs*ch), V: make([]byte, cs*ch), YStride: ys, CStride: cs, W: w, H: h}
	for y := range h {
		for x := range w {
			f.Y[y*ys+x] = byte(16 + (x+y)*219/(w+h))
		}
	}
	for y := range ch {
		for x := range (w + 1) / 2 {
			f.U[y*cs+x] = byte(64 + x*128/w)
			f.V[y*cs+x] = byte(64 + y*128/h)
		}
	}
	return f
}

// TestMatchesPortable: libyuv and the Go version draw the same picture.
func TestMatchesPortable(t *testing.T) {
	f := gradient(640, 480)
	for _, size := range []image.Point{{640, 480}, {400, 300}, {324, 300}, {160, 90}} {
		a := image.NewRGBA(image.Rectangle{Max: size})
		var c Converter
		c.ToRGBA(a, f)
		// The Go way, through the same crop.
		b := image.NewRGBA(image.Rectangle{Max: size})
		x, y, cw, ch := crop(f.W, f.H, size.X, size.Y)
		src := Frame{Y: f.Y[y*f.YStride+x:], U: f.U[y/2*f.CStride+x/2:], V: f.V[y/2*f.CStride+x/2:], YStride: f.YStride, CStride: f.CStride, W: cw, H: ch}
		if cw != size.X || ch != size.Y {
			s := FromI420(make([]byte, size.X*size.Y+2*((size.X+1)/2)*((size.Y+1)/2)), size.X, size.Y)
			scaleGo(s, src)
			src = s
		}
		toRGBAGo(b.Pix, b.Stride, src)
		var sum, worst int
		for i := range a.Pix {
			d := int(a.Pix[i]) - int(b.Pix[i])
			d = max(d, -d)
			sum += d
			worst = max(worst, d)
		}
		if mean := float64(sum) / float64(len(a.Pix)); mean > 2 || worst > 12 {
			t.Errorf("%v: libyuv and Go differ by %.2f on average, %d at most", size, mean, worst)
		}
	}
}

func BenchmarkToRGBA(b *testing.B) {
	f := gradient(640, 480)
	for _, size := range []image.Point{{640, 480}, {320, 240}, {324, 300}, {200, 120}} {
		b.Run(image.Rectangle{Max: size}.String(), func(b *testing.B) {
			dst := image.NewRGBA(image.Rectangle{Max: size})
			var c Converter
			for b.Loop() {
				c.ToRGBA(dst, f)
			}
		})
	}
	b.Run("portable-324x300", func(b *testing.B) {
		dst := image.NewRGBA(image.Rect(0, 0, 324, 300))
		s := FromI420(make([]byte, 324*300+2*162*150), 324, 300)
		for b.Loop() {
			scaleGo(s, f)
			toRGBAGo(dst.Pix, dst.Stride, s)
		}
	})
}

// The scalar conversion this package replaced (media.I420ToRGBAStep and
// the decoder's kaigi_to_rgba_step did the same), at half size.
func BenchmarkScalarStep2(b *testing.B) {
	f := gradient(640, 480)
	dst := make([]byte, 320*240*4)
	for b.Loop() {
		for y := range 240 {
			yr := f.Y[2*y*f.YStride:]
			ur, vr := f.U[y*f.CStride:], f.V[y*f.CStride:]
			row := dst[y*320*4:]
			for x := range 320 {
				c := 298 * (int(yr[2*x]) - 16)
				d, e := int(ur[x])-128, int(vr[x])-128
				row[4*x] = clamp((c + 409*e + 128) >> 8)
				row[4*x+1] = clamp((c - 100*d - 208*e + 128) >> 8)
				row[4*x+2] = clamp((c + 516*d + 128) >> 8)
				row[4*x+3] = 255
			}
		}
	}
}
