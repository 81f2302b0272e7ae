package vpx

import (
	"errors"
	"testing"
)

// frame is an I420 picture of w x h with a gradient that moves with n.
func frame(w, h, n int) []byte {
	f := make([]byte, w*h*3/2)
	for y := range h {
		for x := range w {
			f[y*w+x] = byte(x + y + 4*n)
		}
	}
	for i := w * h; i < len(f); i++ {
		f[i] = 128
	}
	return f
}

func TestRoundTrip(t *testing.T) {
	const w, h = 160, 120
	enc, err := NewEncoder(EncoderConfig{Width: w, Height: h, FPS: 30})
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	dec, err := NewDecoder(1)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	if err := dec.RGBA(make([]byte, w*h*4)); !errors.Is(err, ErrCodec) {
		t.Errorf("RGBA before any picture: %v", err)
	}
	if _, _, ok, err := dec.Decode(nil, nil); ok || err != nil {
		t.Errorf("empty frame: ok %v, %v", ok, err)
	}
	pictures := 0
	for n := range 30 {
		data, key, err := enc.Encode(frame(w, h, n), n == 20)
		if err != nil {
			t.Fatal(err)
		}
		if (n == 0 || n == 20) && !key {
			t.Errorf("frame %d is not a keyframe", n)
		}
		if len(data) == 0 {
			continue // dropped by rate control
		}
		stamp := make([]byte, w*2)
		gw, gh, ok, err := dec.Decode(data, stamp)
		if err != nil {
			t.Fatalf("frame %d: %v", n, err)
		}
		if !ok {
			continue
		}
		pictures++
		if gw != w || gh != h {
			t.Fatalf("decoded %dx%d, want %dx%d", gw, gh, w, h)
		}
		// The top-left luma survives compression closely.
		if d := int(stamp[w/2]) - int(byte(w/2+4*n)); d < -12 || d > 12 {
			t.Errorf("frame %d: luma %d, want about %d", n, stamp[w/2], byte(w/2+4*n))
		}
		rgba := make([]byte, w*h*4)
		if err := dec.RGBA(rgba); err != nil {
			t.Fatal(err)
		}
		if rgba[3] != 255 {
			t.Errorf("alpha %d", rgba[3])
		}
		f, err := dec.Frame()
		if err != nil {
			t.Fatal(err)
		}
		if f.W != w || f.H != h || f.Y[w/2] != stamp[w/2] {
			t.Errorf("Frame: %dx%d, luma %d; want %dx%d, %d", f.W, f.H, f.Y[w/2], w, h, stamp[w/2])
		}
	}
	if pictures < 25 {
		t.Errorf("%d of 30 pictures decoded", pictures)
	}
}

func TestEncoderRefuses(t *testing.T) {
	for _, c := range []EncoderConfig{{Width: 0, Height: 120}, {Width: 161, Height: 120}, {Width: 160, Height: -2}} {
		if _, err := NewEncoder(c); !errors.Is(err, ErrCodec) {
			t.Errorf("%+v: %v", c, err)
		}
	}
	enc, err := NewEncoder(EncoderConfig{Width: 64, Height: 64})
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	if _, _, err := enc.Encode(make([]byte, 10), false); !errors.Is(err, ErrCodec) {
		t.Errorf("short frame: %v", err)
	}
	enc.Close()
	enc.Close() // twice is harmless
}

// TestBitrate: a lower target makes smaller frames (what congestion
// control relies on when it lowers the estimate).
func TestBitrate(t *testing.T) {
	const w, h = 320, 240
	size := func(kbps int) int {
		enc, err := NewEncoder(EncoderConfig{Width: w, Height: h, FPS: 30, BitrateKbps: 1500})
		if err != nil {
			t.Fatal(err)
		}
		defer enc.Close()
		if err := enc.SetBitrate(kbps); err != nil {
			t.Fatal(err)
		}
		total := 0
		for n := range 60 {
			f := frame(w, h, n)
			for y := range h { // moving detail: costly, yet compressible (noise is not)
				for x := range w {
					f[y*w+x] += byte(((x+2*n)/3^(y+n)/3)&1) * 60
				}
			}
			data, _, err := enc.Encode(f, false)
			if err != nil {
				t.Fatal(err)
			}
			if n >= 30 {
				total += len(data)
			}
		}
		return total
	}
	high, low := size(1500), size(150)
	t.Logf("one second at 1500 kbit/s: %d bytes; at 150 kbit/s: %d bytes", high, low)
	if low*2 > high {
		t.Errorf("150 kbit/s made %d bytes, 1500 kbit/s %d: the target did not take", low, high)
	}
}
