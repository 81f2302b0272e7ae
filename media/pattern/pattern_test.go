package pattern

import (
	"testing"
	"time"

	"kaigi/media/vpx"
)

func TestStampRoundTrip(t *testing.T) {
	for _, w := range []int{160, 320, 640, 1280} {
		h := w * 3 / 4
		buf := make([]byte, w*h*3/2)
		want := Stamp{Counter: 123456789, Millis: MillisOf(time.Now())}
		Draw(buf, w, h, 7, 40, want)
		got, err := Read(buf[:w*h], w)
		if err != nil || got != want {
			t.Errorf("%d wide: got %+v, %v; want %+v", w, got, err, want)
		}
	}
}

func TestStampRejectsNoise(t *testing.T) {
	w, h := 640, 480
	buf := make([]byte, w*h)
	for i := range buf {
		buf[i] = byte(i * 7919 >> 3)
	}
	if _, err := Read(buf, w); err == nil {
		t.Error("read a stamp from noise")
	}
	if _, err := Read(buf[:100], w); err == nil {
		t.Error("read a stamp from too few rows")
	}
}

// TestStampSurvivesVP8 encodes the pattern at a low bitrate with the real
// codec and reads every stamp back from the decoded pictures.
func TestStampSurvivesVP8(t *testing.T) {
	w, h := 640, 480
	enc, err := vpx.NewEncoder(vpx.EncoderConfig{Width: w, Height: h, FPS: 30, BitrateKbps: 300})
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	dec, err := vpx.NewDecoder(1)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	frame := make([]byte, w*h*3/2)
	rows := make([]byte, StampRows(w)*w)
	read := 0
	for n := uint32(0); n < 90; n++ {
		Draw(frame, w, h, n, 0, Stamp{Counter: n, Millis: 1000 + n})
		data, _, err := enc.Encode(frame, n == 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, ok, err := dec.Decode(data, rows); err != nil || !ok {
			t.Fatalf("frame %d: decode %v %v", n, ok, err)
		}
		s, err := Read(rows, w)
		if err != nil {
			t.Errorf("frame %d: %v", n, err)
			continue
		}
		if s.Counter != n || s.Millis != 1000+n {
			t.Errorf("frame %d: read %+v", n, s)
		}
		read++
	}
	if read != 90 {
		t.Errorf("read %d of 90 stamps", read)
	}
}
