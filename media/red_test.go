package media

import (
	"bytes"
	"testing"

	"github.com/pion/rtp"
)

func TestREDRoundTrip(t *testing.T) {
	prev, cur := []byte{1, 2, 3}, []byte{4, 5, 6, 7}
	for _, c := range []struct {
		name      string
		redundant *redBlock
		want      [][]byte
	}{
		{"primary only", nil, [][]byte{cur}},
		{"one redundant", &redBlock{offset: 960, data: prev}, [][]byte{prev, cur}},
		{"too old to carry", &redBlock{offset: 1 << 14, data: prev}, [][]byte{cur}},
		{"two frames back", &redBlock{offset: 1920, data: prev}, [][]byte{prev, cur}},
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
		if c.redundant != nil && len(got) == 2 && (got[0].SequenceNumber != uint16(10-c.redundant.offset/960) ||
			got[0].Timestamp != 96000-c.redundant.offset || got[1].SequenceNumber != 10) {
			t.Errorf("%s: %+v %+v", c.name, got[0].Header, got[1].Header)
		}
	}
}

func FuzzParseRED(f *testing.F) {
	f.Add(appendRED(nil, &redBlock{offset: 960, data: []byte{1, 2}}, []byte{3}))
	f.Add([]byte{0x80})
	f.Fuzz(func(t *testing.T, b []byte) {
		blocks, err := parseRED(b)
		if err == nil && len(blocks) == 0 {
			t.Fatal("no error and no blocks")
		}
	})
}
