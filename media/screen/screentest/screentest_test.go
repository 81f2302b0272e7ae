package screentest

import (
	"image"
	"image/png"
	"os"
	"testing"

	"golang.org/x/image/draw"
)

// TestReadPage: a share received in CI (sharp, 1280x720) whose Chinese
// line tesseract read as Latin letters is read whole; the same picture
// blurred to a sixth of its size and back is not.
func TestReadPage(t *testing.T) {
	f, err := os.Open("testdata/share-misread.png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if text, missing := ReadPage(t, img); len(missing) > 0 {
		t.Errorf("misses %q (read %q)", missing, text)
	}
	b := img.Bounds()
	small := image.NewRGBA(image.Rect(0, 0, b.Dx()/6, b.Dy()/6))
	draw.BiLinear.Scale(small, small.Rect, img, b, draw.Src, nil)
	blurred := image.NewRGBA(b)
	draw.BiLinear.Scale(blurred, b, small, small.Rect, draw.Src, nil)
	if text, missing := ReadPage(t, blurred); len(missing) == 0 {
		t.Errorf("a blurred page read whole: %q", text)
	}
}
