package media

import (
	"crypto/rand"
	"encoding/hex"
)

// I420ToRGBAStep converts a w x h I420 picture into rgba, keeping every
// step-th pixel of every step-th row ((w/step)*(h/step)*4 bytes; step 1
// is the whole picture).
func I420ToRGBAStep(i420 []byte, w, h, step int, rgba []byte) {
	ys := i420[:w*h]
	us := i420[w*h : w*h+w*h/4]
	vs := i420[w*h+w*h/4:]
	ow, oh := w/step, h/step
	for y := 0; y < oh; y++ {
		row := rgba[y*ow*4 : (y+1)*ow*4]
		sy := y * step
		yr := ys[sy*w : sy*w+w]
		cr := (sy / 2) * (w / 2)
		for x := 0; x < ow; x++ {
			sx := x * step
			c := 298 * (int(yr[sx]) - 16)
			d := int(us[cr+sx/2]) - 128
			e := int(vs[cr+sx/2]) - 128
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
