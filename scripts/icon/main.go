// Command icon draws Kaigi's icon (assets/icon.png, 512x512) and its
// smaller sizes for the desktop (assets/icons/NxN.png): a rounded square
// in a blue-to-violet gradient with a white speech bubble holding a camera.
// Run: go run ./scripts/icon
package main

import (
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
	"path/filepath"
)

// shape answers whether a point (in 0..1 icon coordinates) is inside.
type shape func(x, y float64) bool

func roundRect(x0, y0, x1, y1, r float64) shape {
	return func(x, y float64) bool {
		if x < x0 || x > x1 || y < y0 || y > y1 {
			return false
		}
		cx := math.Max(x0+r, math.Min(x, x1-r))
		cy := math.Max(y0+r, math.Min(y, y1-r))
		return (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r
	}
}

func triangle(ax, ay, bx, by, cx, cy float64) shape {
	side := func(px, py, qx, qy, x, y float64) float64 { return (qx-px)*(y-py) - (qy-py)*(x-px) }
	return func(x, y float64) bool {
		d1, d2, d3 := side(ax, ay, bx, by, x, y), side(bx, by, cx, cy, x, y), side(cx, cy, ax, ay, x, y)
		neg := d1 < 0 || d2 < 0 || d3 < 0
		pos := d1 > 0 || d2 > 0 || d3 > 0
		return !(neg && pos)
	}
}

func union(s ...shape) shape {
	return func(x, y float64) bool {
		for _, f := range s {
			if f(x, y) {
				return true
			}
		}
		return false
	}
}

func minus(a, b shape) shape { return func(x, y float64) bool { return a(x, y) && !b(x, y) } }

func draw(size int) *image.NRGBA {
	bg := roundRect(0.02, 0.02, 0.98, 0.98, 0.22)
	bubble := union(roundRect(0.17, 0.22, 0.83, 0.70, 0.11), triangle(0.30, 0.66, 0.46, 0.66, 0.27, 0.84))
	camera := union(roundRect(0.29, 0.35, 0.58, 0.57, 0.04), triangle(0.56, 0.46, 0.71, 0.36, 0.71, 0.56))
	fg := minus(bubble, camera)
	top := [3]float64{0x25, 0x63, 0xeb}
	bottom := [3]float64{0x7c, 0x3a, 0xed}
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	const ss = 4 // supersampling per axis
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var inBg, inFg float64
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					x := (float64(px) + (float64(sx)+0.5)/ss) / float64(size)
					y := (float64(py) + (float64(sy)+0.5)/ss) / float64(size)
					if bg(x, y) {
						inBg++
						if fg(x, y) {
							inFg++
						}
					}
				}
			}
			if inBg == 0 {
				continue
			}
			t := (float64(px) + float64(py)) / float64(2*size)
			var c [3]float64
			for i := range c {
				grad := top[i] + (bottom[i]-top[i])*t
				f := inFg / inBg
				c[i] = grad*(1-f) + 255*f
			}
			img.SetNRGBA(px, py, color.NRGBA{uint8(c[0]), uint8(c[1]), uint8(c[2]), uint8(255 * inBg / (ss * ss))})
		}
	}
	return img
}

func save(path string, img image.Image) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		log.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

func main() {
	save("assets/icon.png", draw(512))
	for _, s := range []int{16, 24, 32, 48, 64, 128, 256, 512} {
		save(filepath.Join("assets", "icons", itoa(s)+"x"+itoa(s)+".png"), draw(s))
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
