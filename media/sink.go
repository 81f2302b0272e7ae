package media

import (
	"image"

	"kaigi/media/yuv"
)

// SizedSink is a VideoSink that says the size in pixels it draws at, and
// whether the picture covers that area (cropped to its shape) or is
// contained in it: pictures then come converted and scaled to exactly what
// is drawn, so that the screen neither scales nor uploads more pixels than
// it shows. A size of 0 (not laid out yet) falls back to ScaledSink.
type SizedSink interface {
	VideoSink
	DrawSize() (w, h int, cover bool)
}

// toSink converts f into a picture for sink, reusing rgba when its size is
// right.
func toSink(c *yuv.Converter, sink VideoSink, f yuv.Frame, rgba *image.RGBA) *image.RGBA {
	w, h := f.W, f.H
	if ss, ok := sink.(SizedSink); ok {
		if tw, th, cover := ss.DrawSize(); tw > 0 && th > 0 {
			w, h = yuv.Size(f.W, f.H, tw, th, cover)
		} else {
			step := scaleOf(sink)
			w, h = f.W/step, f.H/step
		}
	} else if step := scaleOf(sink); step > 1 {
		w, h = f.W/step, f.H/step
	}
	if rgba == nil || rgba.Rect.Dx() != w || rgba.Rect.Dy() != h {
		rgba = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	c.ToRGBA(rgba, f)
	return rgba
}
