package screen

import (
	"errors"
	"image"
	"testing"
)

func TestAvailable(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want error
	}{
		{map[string]string{"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}, ErrWayland},
		{map[string]string{"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0", "XDG_SESSION_TYPE": "wayland"}, ErrWayland},
		{map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, ErrWayland},
		{map[string]string{"XDG_SESSION_TYPE": "wayland", "DISPLAY": ":1"}, ErrWayland},
		{map[string]string{}, ErrNoDisplay},
		{map[string]string{"XDG_SESSION_TYPE": "tty"}, ErrNoDisplay},
	} {
		err := available(func(k string) string { return c.env[k] })
		if !errors.Is(err, c.want) {
			t.Errorf("%v: %v, want %v", c.env, err, c.want)
		}
	}
}

func TestFit(t *testing.T) {
	for _, c := range []struct{ w, h, ww, wh int }{
		{1920, 1080, 1920, 1080},
		{1280, 800, 1280, 800},
		{2560, 1440, 1920, 1080},
		{3840, 1080, 1920, 540},
		{1080, 1920, 606, 1080},
		{1001, 701, 1000, 700},
	} {
		if w, h := fit(c.w, c.h); w != c.ww || h != c.wh {
			t.Errorf("fit(%d, %d) = %d, %d; want %d, %d", c.w, c.h, w, h, c.ww, c.wh)
		}
	}
}

func TestInside(t *testing.T) {
	for _, c := range []struct {
		w, h, fw, fh int
		want         image.Rectangle
	}{
		{900, 420, 900, 420, image.Rect(0, 0, 900, 420)},
		{1800, 420, 900, 420, image.Rect(0, 104, 900, 314)},
		{450, 420, 900, 420, image.Rect(224, 0, 674, 420)},
	} {
		if got := inside(c.w, c.h, c.fw, c.fh); got != c.want {
			t.Errorf("inside(%d, %d, %d, %d) = %v, want %v", c.w, c.h, c.fw, c.fh, got, c.want)
		}
	}
}
