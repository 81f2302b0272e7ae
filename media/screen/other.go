//go:build !linux || !cgo

package screen

import (
	"context"
	"image"
)

func platform() error { return ErrUnsupported }

// List lists what can be shared.
func List() ([]Source, error) { return nil, ErrUnsupported }

// Thumbnail is a small picture of src.
func Thumbnail(Source, int, int) (*image.RGBA, error) { return nil, ErrUnsupported }

// Capture is a running capture (none on this system).
type Capture struct{}

// Open starts capturing src at fps.
func Open(Source, int) (*Capture, error) { return nil, ErrUnsupported }

func (*Capture) Size() (int, int)                        { return 0, 0 }
func (*Capture) FPS() int                                { return 0 }
func (*Capture) ReadFrame(context.Context, []byte) error { return ErrUnsupported }
func (*Capture) Close() error                            { return nil }
