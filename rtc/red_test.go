package rtc

import (
	"bytes"
	"testing"
)

func TestREDPrimary(t *testing.T) {
	for _, c := range []struct {
		name    string
		payload []byte
		want    []byte
	}{
		// F|PT 111, offset 960, length 3; then the last header; the
		// redundant block; the primary.
		{"one redundant", []byte{0x80 | 111, 15, 0, 3, 111, 1, 2, 3, 4, 5, 6, 7}, []byte{4, 5, 6, 7}},
		{"primary only", []byte{111, 4, 5}, []byte{4, 5}},
	} {
		got, err := REDPrimary(c.payload)
		if err != nil || !bytes.Equal(got, c.want) {
			t.Errorf("%s: %v %v, want %v", c.name, got, err, c.want)
		}
	}
	for _, bad := range [][]byte{nil, {0x80 | 111, 0, 0}, {0x80 | 111, 0, 0, 9, 111, 1}} {
		if _, err := REDPrimary(bad); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
}

func FuzzREDPrimary(f *testing.F) {
	f.Add([]byte{0x80 | 111, 15, 0, 3, 111, 1, 2, 3, 4})
	f.Fuzz(func(t *testing.T, b []byte) {
		if p, err := REDPrimary(b); err == nil && len(p) > len(b) {
			t.Fatal("primary longer than the payload")
		}
	})
}
