package media

import (
	"bytes"
	"testing"

	"github.com/pion/rtp"
)

func TestREDRoundTrip(t *testing.T) {
	older, old, prev, cur := []byte{9}, []byte{8, 8}, []byte{1, 2, 3}, []byte{4, 5, 6, 7}
	for _, c := range []struct {
		name      string
		redundant []redBlock
		want      [][]byte
	}{
		{"primary only", nil, [][]byte{cur}},
		{"one redundant", []redBlock{{offset: 960, data: prev}}, [][]byte{prev, cur}},
		{"too old to carry", []redBlock{{offset: 1 << 14, data: prev}}, [][]byte{cur}},
		{"two frames back", []redBlock{{offset: 1920, data: prev}}, [][]byte{prev, cur}},
		{"three earlier", []redBlock{{offset: 2880, data: older}, {offset: 1920, data: old}, {offset: 960, data: prev}}, [][]byte{older, old, prev, cur}},
		{"the oldest too old", []redBlock{{offset: 1 << 14, data: older}, {offset: 960, data: prev}}, [][]byte{prev, cur}},
	} {
		pkt := &rtp.Packet{Header: rtp.Header{SequenceNumber: 10, Timestamp: 96000}, Payload: appendRED(nil, c.redundant, cur)}
		got, err := unRED(pkt)
		if err != nil || len(got) != len(c.want) {
			t.Fatalf("%s: %v %v", c.name, got, err)
		}
		for i, p := range got {
			if !bytes.Equal(p.Payload, c.want[i]) {
				t.Errorf("%s: block %d is %v, want %v", c.name, i, p.Payload, c.want[i])
			}
		}
		if last := got[len(got)-1]; last.SequenceNumber != 10 || last.Timestamp != 96000 {
			t.Errorf("%s: the primary is %+v", c.name, last.Header)
		}
		// Each carried frame gets back its own number and time.
		for _, b := range c.redundant {
			for _, p := range got[:len(got)-1] {
				if bytes.Equal(p.Payload, b.data) && (p.SequenceNumber != uint16(10-b.offset/960) || p.Timestamp != 96000-b.offset) {
					t.Errorf("%s: block %v came back as %+v", c.name, b.data, p.Header)
				}
			}
		}
	}
}

func FuzzParseRED(f *testing.F) {
	f.Add(appendRED(nil, []redBlock{{offset: 960, data: []byte{1, 2}}}, []byte{3}))
	f.Add(appendRED(nil, []redBlock{{offset: 1920, data: []byte{5}}, {offset: 960, data: []byte{1, 2}}}, []byte{3}))
	f.Add([]byte{0x80})
	f.Fuzz(func(t *testing.T, b []byte) {
		blocks, err := parseRED(b)
		if err == nil && len(blocks) == 0 {
			t.Fatal("no error and no blocks")
		}
	})
}

func TestREDDepth(t *testing.T) {
	for _, c := range []struct {
		loss      float64
		now, want int
	}{
		{0, 1, 1}, {0.02, 1, 1}, {0.03, 1, 2}, {0.1, 1, 3}, {0.07, 2, 3},
		{0.05, 3, 3}, // not yet well below 7 %
		{0.03, 3, 2}, {0.01, 3, 1}, {0.02, 2, 2}, {0.01, 2, 1},
	} {
		if got := redDepth(c.loss, c.now); got != c.want {
			t.Errorf("redDepth(%.2f, %d) = %d, want %d", c.loss, c.now, got, c.want)
		}
	}
}
