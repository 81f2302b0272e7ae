package assemble

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/rtp/codecs"
)

// vp8 makes the packets of one picture: a one-byte VP8 descriptor (S set
// on the first) and the marker on the last.
func vp8(seq uint16, ts uint32, parts ...string) []*rtp.Packet {
	var out []*rtp.Packet
	for i, p := range parts {
		desc := byte(0)
		if i == 0 {
			desc = 0x10
		}
		out = append(out, &rtp.Packet{Header: rtp.Header{SequenceNumber: seq + uint16(i), Timestamp: ts, Marker: i == len(parts)-1},
			Payload: append([]byte{desc}, p...)})
	}
	return out
}

func pop(a *Assembler) (got []string, dropped []int) {
	for s := a.Pop(); s != nil; s = a.Pop() {
		got = append(got, string(s.Data))
		dropped = append(dropped, int(s.PrevDroppedPackets))
	}
	return got, dropped
}

func push(a *Assembler, ps ...[]*rtp.Packet) {
	for _, p := range ps {
		for _, q := range p {
			a.Push(q)
		}
	}
}

func TestInOrderAndReordered(t *testing.T) {
	a := New(64, &codecs.VP8Packet{}, 90000, 200*time.Millisecond)
	f1, f2 := vp8(10, 3000, "ab", "cd"), vp8(12, 6000, "ef", "gh", "ij")
	push(a, f1)
	if got, _ := pop(a); len(got) != 1 || got[0] != "abcd" {
		t.Fatalf("first picture %q", got)
	}
	// The second picture's packets arrive out of order.
	a.Push(f2[2])
	a.Push(f2[0])
	if got, _ := pop(a); got != nil {
		t.Fatalf("gave %q with a packet missing", got)
	}
	a.Push(f2[1])
	if got, d := pop(a); len(got) != 1 || got[0] != "efghij" || d[0] != 0 {
		t.Fatalf("second picture %q dropped %v", got, d)
	}
}

func TestLossIsCountedAfterTheWait(t *testing.T) {
	a := New(64, &codecs.VP8Packet{}, 90000, 100*time.Millisecond)
	f1, f2, f3 := vp8(100, 0, "a", "b"), vp8(102, 3000, "c", "d"), vp8(104, 6000, "e")
	push(a, f1)
	pop(a)
	// f2's second packet is lost; f3 is whole but must wait behind f2.
	a.Push(f2[0])
	push(a, f3)
	if got, _ := pop(a); got != nil {
		t.Fatalf("did not wait for the missing packet: %q", got)
	}
	// 100 ms of newer packets later it gives up on f2: two packets gone.
	push(a, vp8(105, 6000+9001, "f"))
	got, d := pop(a)
	if len(got) != 2 || got[0] != "e" || d[0] != 2 || got[1] != "f" || d[1] != 0 {
		t.Fatalf("after the wait: %q dropped %v", got, d)
	}
}

func TestLostFirstPacket(t *testing.T) {
	a := New(64, &codecs.VP8Packet{}, 90000, 50*time.Millisecond)
	f1, f2 := vp8(7, 0, "a", "b", "c"), vp8(10, 3000, "d")
	push(a, vp8(6, 0, "z")) // the picture before
	pop(a)
	push(a, f1[1:], f2) // f1's head lost: its other two packets are useless
	if got, _ := pop(a); got != nil {
		t.Fatalf("did not wait for the head: %q", got)
	}
	push(a, vp8(11, 3000+4501, "e"))
	got, d := pop(a)
	if len(got) != 2 || got[0] != "d" || d[0] != 3 || got[1] != "e" {
		t.Fatalf("%q dropped %v", got, d)
	}
}

func TestWrapAndRestart(t *testing.T) {
	a := New(16, &codecs.VP8Packet{}, 90000, time.Second)
	push(a, vp8(65534, 0, "a", "b", "c")) // 65534, 65535, 0
	if got, _ := pop(a); len(got) != 1 || got[0] != "abc" {
		t.Fatalf("across the wrap: %q", got)
	}
	// The sender starts over far away: a new sequence, not a late packet.
	push(a, vp8(30000, 9000, "x"))
	if got, _ := pop(a); len(got) != 1 || got[0] != "x" {
		t.Fatalf("after a restart: %q", got)
	}
	// A packet far ahead of a small window: what it cannot hold is lost.
	push(a, vp8(30001, 12000, "y", "z")[:1]) // half a picture
	push(a, vp8(30100, 15000, "w"))
	a.Flush()
	if got, d := pop(a); len(got) != 1 || got[0] != "w" || d[0] != 99 {
		t.Fatalf("far ahead: %q dropped %v", got, d)
	}
}

func TestOpusEveryPacketASample(t *testing.T) {
	a := New(32, &codecs.OpusPacket{}, 48000, 100*time.Millisecond)
	for i := uint16(0); i < 5; i++ {
		if i == 2 {
			continue // lost
		}
		a.Push(&rtp.Packet{Header: rtp.Header{SequenceNumber: i, Timestamp: uint32(i) * 960}, Payload: []byte{byte(i)}})
	}
	got, d := pop(a)
	if len(got) != 2 {
		t.Fatalf("before the gap: %q", got)
	}
	a.Flush()
	got, d = pop(a)
	if len(got) != 2 || !bytes.Equal([]byte(got[0]), []byte{3}) || d[0] != 1 {
		t.Fatalf("after the gap, flushed: %q dropped %v", got, d)
	}
}

// TestSmall: the point of the package.
func TestSmall(t *testing.T) {
	a := New(128, &codecs.VP8Packet{}, 90000, 200*time.Millisecond)
	if len(a.slots) != 128 {
		t.Errorf("window %d", len(a.slots))
	}
}

// TestRandomLossAndReorder: pictures of 1–5 packets, 10 % of packets
// lost, the rest shuffled within 8 places. Every whole picture comes out,
// in order, and no broken one; each packet is either given out or
// counted as dropped.
func TestRandomLossAndReorder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var all []*rtp.Packet
	var want []string
	seq := uint16(65000) // crosses the wrap
	for f := 0; f < 2000; f++ {
		n := 1 + rng.IntN(5)
		parts := make([]string, n)
		for i := range parts {
			parts[i] = fmt.Sprintf("%d.%d;", f, i)
		}
		ps := vp8(seq, uint32(f)*3000, parts...)
		seq += uint16(n)
		whole := true
		for _, p := range ps {
			if rng.Float64() < 0.1 {
				whole = false
				continue
			}
			all = append(all, p)
		}
		if whole {
			want = append(want, strings.Join(parts, ""))
		}
	}
	// Each packet moves by at most 8 places: sorted by its place plus a
	// random 0–8.
	keys := make(map[*rtp.Packet]float64, len(all))
	for i, p := range all {
		keys[p] = float64(i) + 8*rng.Float64()
	}
	sort.SliceStable(all, func(i, j int) bool { return keys[all[i]] < keys[all[j]] })
	a := New(128, &codecs.VP8Packet{}, 90000, 200*time.Millisecond)
	var got []string
	given, dropped := 0, 0
	for _, p := range all {
		a.Push(p)
		for s := a.Pop(); s != nil; s = a.Pop() {
			got = append(got, string(s.Data))
			given += strings.Count(string(s.Data), ";")
			dropped += int(s.PrevDroppedPackets)
		}
	}
	a.Flush()
	for s := a.Pop(); s != nil; s = a.Pop() {
		got = append(got, string(s.Data))
		given += strings.Count(string(s.Data), ";")
		dropped += int(s.PrevDroppedPackets)
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("%d pictures out, %d whole went in", len(got), len(want))
		have := map[string]bool{}
		for _, g := range got {
			have[g] = true
		}
		n := 0
		for _, w := range want {
			if !have[w] && n < 5 {
				t.Logf("missing %q", w)
				n++
			}
		}
	}
	total := int(seq - 65000)
	if given+dropped > total || given+dropped < total-5 { // the last picture's lost tail is never counted
		t.Errorf("%d given + %d dropped of %d packets", given, dropped, total)
	}
}
