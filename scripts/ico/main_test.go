package main

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/png"
	"testing"
)

func pngOf(t *testing.T, n int) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, n, n))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestPack(t *testing.T) {
	a, b := pngOf(t, 16), pngOf(t, 256)
	out, err := pack([][]byte{a, b})
	if err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	if le.Uint16(out[2:]) != 1 || le.Uint16(out[4:]) != 2 {
		t.Fatalf("header % x", out[:6])
	}
	// Second entry: 256 written as 0, its data right after the first image.
	e := out[6+16:]
	if e[0] != 0 || e[1] != 0 || le.Uint32(e[8:]) != uint32(len(b)) || le.Uint32(e[12:]) != uint32(6+32+len(a)) {
		t.Errorf("entry % x", e[:16])
	}
	if !bytes.Equal(out[6+32+len(a):], b) {
		t.Error("second image not where the entry says")
	}
	if _, err := pack([][]byte{pngOf(t, 512)}); err == nil {
		t.Error("512x512 accepted")
	}
}
