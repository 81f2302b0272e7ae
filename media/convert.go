package media

import (
	"crypto/rand"
	"encoding/hex"
)

// I420ToRGBA converts a w x h I420 picture into rgba (w*h*4 bytes).
func I420ToRGBA(i420 []byte, w, h int, rgba []byte) {
	ys := i420[:w*h]
	us := i420[w*h : w*h+w*h/4]
	vs := i420[w*h+w*h/4:]
	for y := 0; y < h; y++ {
		row := rgba[y*w*4 : (y+1)*w*4]
		yr := ys[y*w : (y+1)*w]
		cr := (y / 2) * (w / 2)
		for x := 0; x < w; x++ {
			c := 298 * (int(yr[x]) - 16)
			d := int(us[cr+x/2]) - 128
			e := int(vs[cr+x/2]) - 128
			row[4*x] = clamp((c + 409*e + 128) >> 8)
			row[4*x+1] = clamp((c - 100*d - 208*e + 128) >> 8)
			row[4*x+2] = clamp((c + 516*d + 128) >> 8)
			row[4*x+3] = 255
		}
	}
}

// I420ToRGBAHalf converts every second pixel of every second row into
// rgba ((w/2)*(h/2)*4 bytes): for pictures shown small.
func I420ToRGBAHalf(i420 []byte, w, h int, rgba []byte) {
	ys := i420[:w*h]
	us := i420[w*h : w*h+w*h/4]
	vs := i420[w*h+w*h/4:]
	hw, hh := w/2, h/2
	for y := 0; y < hh; y++ {
		row := rgba[y*hw*4 : (y+1)*hw*4]
		yr := ys[2*y*w : 2*y*w+w]
		cr := y * (w / 2)
		for x := 0; x < hw; x++ {
			c := 298 * (int(yr[2*x]) - 16)
			d := int(us[cr+x]) - 128
			e := int(vs[cr+x]) - 128
			row[4*x] = clamp((c + 409*e + 128) >> 8)
			row[4*x+1] = clamp((c - 100*d - 208*e + 128) >> 8)
			row[4*x+2] = clamp((c + 516*d + 128) >> 8)
			row[4*x+3] = 255
		}
	}
}

func clamp(v int) byte {
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return byte(v)
}

func randomID() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
