// Package yuv turns decoded I420 pictures into the RGBA a screen draws,
// cropped and scaled in one pass to the size they are drawn at. On Linux
// it uses libyuv (SIMD); elsewhere a portable Go version does the same
// work more slowly. Colours are BT.601, limited range, as VP8 sends them.
package yuv

import "image"

// Frame is an I420 picture: three planes with their strides. The planes
// may point into a decoder's memory; they are only read.
type Frame struct {
	Y, U, V          []byte
	YStride, CStride int // of Y, and of U and V
	W, H             int
}

// FromI420 is the frame in one w x h I420 buffer (Y, then U, then V).
func FromI420(buf []byte, w, h int) Frame {
	cw, ch := (w+1)/2, (h+1)/2
	return Frame{Y: buf[:w*h], U: buf[w*h : w*h+cw*ch], V: buf[w*h+cw*ch : w*h+2*cw*ch],
		YStride: w, CStride: cw, W: w, H: h}
}

// Size is the size to convert a w x h picture to for a tile of tw x th
// pixels: the tile's shape when the picture covers it (cropped at the
// edges), the picture's own when it is contained; never larger than the
// picture, since the screen scales up for free and a larger picture only
// costs more to convert and upload.
func Size(w, h, tw, th int, cover bool) (int, int) {
	if w <= 0 || h <= 0 || tw <= 0 || th <= 0 {
		return w, h
	}
	if !cover {
		// The largest size of the picture's shape inside the tile.
		if tw*h > th*w {
			tw = (th*w + h/2) / h
		} else {
			th = (tw*h + w/2) / w
		}
	}
	// Larger than the picture in either direction: its shape at the
	// picture's resolution.
	if tw > w || th > h {
		if tw*h > th*w { // wider than the picture
			tw, th = w, max(1, (th*w+tw/2)/tw)
		} else {
			tw, th = max(1, (tw*h+th/2)/th), h
		}
	}
	return max(1, tw), max(1, th)
}

// crop is the centre of a w x h picture with the shape of ow x oh, at
// even offsets (the chroma planes are half size).
func crop(w, h, ow, oh int) (x, y, cw, ch int) {
	cw, ch = w, h
	if w*oh > h*ow { // the picture is wider: cut left and right
		cw = (h*ow + oh/2) / oh
	} else {
		ch = (w*oh + ow/2) / ow
	}
	cw, ch = min(w, max(2, cw&^1)), min(h, max(2, ch&^1))
	return ((w - cw) / 2) &^ 1, ((h - ch) / 2) &^ 1, cw, ch
}

// Converter converts frames; it keeps the scratch memory of scaling
// between calls. One per goroutine.
type Converter struct {
	scratch []byte
}

// ToRGBA converts the centre of f that has dst's shape into dst, scaled
// to dst's size.
func (c *Converter) ToRGBA(dst *image.RGBA, f Frame) {
	ow, oh := dst.Rect.Dx(), dst.Rect.Dy()
	if ow <= 0 || oh <= 0 || f.W <= 0 || f.H <= 0 {
		return
	}
	x, y, cw, ch := crop(f.W, f.H, ow, oh)
	src := Frame{Y: f.Y[y*f.YStride+x:], U: f.U[y/2*f.CStride+x/2:], V: f.V[y/2*f.CStride+x/2:],
		YStride: f.YStride, CStride: f.CStride, W: cw, H: ch}
	if cw != ow || ch != oh {
		// Scale in YUV (1.5 bytes a pixel), then convert at the size drawn.
		ocw, och := (ow+1)/2, (oh+1)/2
		need := ow*oh + 2*ocw*och
		if cap(c.scratch) < need {
			c.scratch = make([]byte, need)
		}
		scaled := FromI420(c.scratch[:need], ow, oh)
		scale(scaled, src)
		src = scaled
	}
	toRGBA(dst.Pix, dst.Stride, src)
}

// Scale resizes src into dst, both I420 (for simulcast layers: one
// capture, each layer's size).
func Scale(dst, src Frame) { scale(dst, src) }
