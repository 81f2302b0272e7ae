package media

import (
	"context"
	"fmt"
	"image"
	"math"
	"sync"

	"github.com/pion/mediadevices/pkg/driver"
	_ "github.com/pion/mediadevices/pkg/driver/camera" // V4L2, AVFoundation, DirectShow
	"github.com/pion/mediadevices/pkg/io/video"
	"github.com/pion/mediadevices/pkg/prop"
)

// ListCameras lists the cameras the system has (often none).
func ListCameras() ([]Device, error) {
	var out []Device
	for _, d := range driver.GetManager().Query(driver.FilterVideoRecorder()) {
		if d.Info().DeviceType != driver.Camera {
			continue
		}
		out = append(out, Device{ID: d.ID(), Name: d.Info().Label, Default: len(out) == 0})
	}
	return out, nil
}

// Camera is a VideoSource reading a camera through pion/mediadevices'
// drivers; frames are scaled to the size asked for.
type Camera struct {
	mu     sync.Mutex
	d      driver.Driver
	r      video.Reader
	w, h   int
	fps    int
	closed bool
}

// OpenCamera opens a camera by ID ("" = the first) for w x h at fps.
func OpenCamera(id string, w, h, fps int) (*Camera, error) {
	var d driver.Driver
	for _, c := range driver.GetManager().Query(driver.FilterVideoRecorder()) {
		if c.Info().DeviceType == driver.Camera && (id == "" || c.ID() == id) {
			d = c
			break
		}
	}
	if d == nil {
		return nil, ErrNoCamera
	}
	if err := d.Open(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoCamera, err)
	}
	rec, ok := d.(driver.VideoRecorder)
	if !ok {
		d.Close()
		return nil, ErrNoCamera
	}
	// Take the camera's mode closest to what we send.
	best, bestScore := prop.Media{}, math.Inf(1)
	for _, p := range d.Properties() {
		if p.Width == 0 || p.Height == 0 {
			continue
		}
		score := math.Abs(float64(p.Width*p.Height-w*h)) + 1e3*math.Abs(float64(p.FrameRate)-float64(fps))
		if score < bestScore {
			best, bestScore = p, score
		}
	}
	if bestScore == math.Inf(1) {
		d.Close()
		return nil, fmt.Errorf("%w: no usable mode", ErrNoCamera)
	}
	r, err := rec.VideoRecord(best)
	if err != nil {
		d.Close()
		return nil, fmt.Errorf("%w: %v", ErrNoCamera, err)
	}
	return &Camera{d: d, r: r, w: w &^ 1, h: h &^ 1, fps: fps}, nil
}

// Size is the size of the frames ReadFrame gives.
func (c *Camera) Size() (int, int) { return c.w, c.h }

// FPS is the frame rate asked for.
func (c *Camera) FPS() int { return c.fps }

// ReadFrame waits for the camera's next picture and writes it as I420.
func (c *Camera) ReadFrame(ctx context.Context, dst []byte) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	img, release, err := c.r.Read()
	if err != nil {
		return err
	}
	defer release()
	ScaleToI420(img, c.w, c.h, dst)
	return nil
}

// Close releases the camera.
func (c *Camera) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	return c.d.Close()
}

// ScaleToI420 draws img into dst (w x h I420) with nearest-neighbour
// scaling; a YCbCr picture is read plane by plane, anything else through
// its colour model.
func ScaleToI420(img image.Image, w, h int, dst []byte) {
	b := img.Bounds()
	sw, sh := b.Dx(), b.Dy()
	y, u, v := dst[:w*h], dst[w*h:w*h+w*h/4], dst[w*h+w*h/4:w*h*3/2]
	if yc, ok := img.(*image.YCbCr); ok {
		for j := 0; j < h; j++ {
			sy := b.Min.Y + j*sh/h
			for i := 0; i < w; i++ {
				sx := b.Min.X + i*sw/w
				y[j*w+i] = yc.Y[yc.YOffset(sx, sy)]
				if j%2 == 0 && i%2 == 0 {
					ci := yc.COffset(sx, sy)
					u[(j/2)*(w/2)+i/2] = yc.Cb[ci]
					v[(j/2)*(w/2)+i/2] = yc.Cr[ci]
				}
			}
		}
		return
	}
	for j := 0; j < h; j++ {
		sy := b.Min.Y + j*sh/h
		for i := 0; i < w; i++ {
			sx := b.Min.X + i*sw/w
			r, g, bb, _ := img.At(sx, sy).RGBA()
			R, G, B := float64(r>>8), float64(g>>8), float64(bb>>8)
			y[j*w+i] = uint8(16 + 0.257*R + 0.504*G + 0.098*B)
			if j%2 == 0 && i%2 == 0 {
				u[(j/2)*(w/2)+i/2] = uint8(128 - 0.148*R - 0.291*G + 0.439*B)
				v[(j/2)*(w/2)+i/2] = uint8(128 + 0.439*R - 0.368*G - 0.071*B)
			}
		}
	}
}
