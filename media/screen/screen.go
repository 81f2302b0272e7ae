// Package screen captures what is on the screen for sharing: a whole
// monitor or one top-level window, with the cursor drawn in, as I420
// frames of at most 1920x1080 at a steady rate (a media.VideoSource by its
// method set). It lists what can be shared, with titles and thumbnails.
//
// Capture is X11's (XShm, XFixes for the cursor, RandR for monitors). A
// Wayland session gives X11 programs no way to see other programs'
// windows; sharing there needs the desktop portal, which Kaigi does not
// speak yet, so Available says so (ErrWayland) rather than sending black.
package screen

import (
	"errors"
	"image"
	"os"
	"strings"
)

// Kind is what a Source shows.
type Kind int

const (
	Monitor Kind = iota // a monitor, or the whole screen
	Window              // one top-level window
)

// WholeScreen is the ID of the Source that is the whole screen (all
// monitors).
const WholeScreen = "screen"

// Source is something that can be shared.
type Source struct {
	Kind  Kind
	ID    string          // stable while it exists: "monitor:0", "window:0x1a00007"
	Title string          // a window's title; a monitor's output name ("" for the whole screen)
	Rect  image.Rectangle // where it is on the screen when listed
	// Primary marks the primary monitor.
	Primary bool
	// Own marks a window of this process (Kaigi's own).
	Own bool

	window uint64
}

// Why sharing cannot start; the app localizes these.
var (
	// ErrWayland: the session is Wayland's, where X11 capture sees
	// nothing of other programs.
	ErrWayland = errors.New("screen: sharing needs an X11 session (this is Wayland)")
	// ErrNoDisplay: no display to capture (no DISPLAY).
	ErrNoDisplay = errors.New("screen: no X11 display")
	// ErrUnsupported: this build cannot capture the screen.
	ErrUnsupported = errors.New("screen: capture is not supported on this system")
	// ErrWindowClosed: the shared window closed (or was hidden).
	ErrWindowClosed = errors.New("screen: the shared window closed")
	// ErrGone: the source listed is no longer there.
	ErrGone = errors.New("screen: not found")
)

// MaxWidth and MaxHeight bound what is sent; larger screens are scaled
// down (keeping their shape).
const (
	MaxWidth  = 1920
	MaxHeight = 1080
)

// Available says whether this session can capture the screen, and if not
// why (ErrWayland, ErrNoDisplay, ErrUnsupported).
func Available() error { return available(os.Getenv) }

func available(env func(string) string) error {
	wayland := strings.EqualFold(env("XDG_SESSION_TYPE"), "wayland") || env("WAYLAND_DISPLAY") != ""
	switch {
	case wayland && (env("DISPLAY") == "" || strings.EqualFold(env("XDG_SESSION_TYPE"), "wayland")):
		// With XWayland there is a DISPLAY, but its root window shows
		// no Wayland program: capturing it would send black.
		return ErrWayland
	case env("DISPLAY") == "":
		return ErrNoDisplay
	}
	return platform()
}

// fit is the size a w x h picture is sent at: at most MaxWidth x
// MaxHeight, its shape kept, even sides (I420 needs them).
func fit(w, h int) (int, int) {
	if w > MaxWidth || h > MaxHeight {
		if w*MaxHeight > h*MaxWidth {
			w, h = MaxWidth, h*MaxWidth/w
		} else {
			w, h = w*MaxHeight/h, MaxHeight
		}
	}
	return max(2, w&^1), max(2, h&^1)
}

// inside is where a w x h picture goes in a fw x fh frame: as large as it
// fits, its shape kept, centred, at even coordinates.
func inside(w, h, fw, fh int) image.Rectangle {
	if w <= 0 || h <= 0 {
		return image.Rectangle{}
	}
	dw, dh := fw, fh
	if w*fh > h*fw {
		dh = h * fw / w
	} else {
		dw = w * fh / h
	}
	dw, dh = max(2, min(fw, dw&^1)), max(2, min(fh, dh&^1))
	x, y := ((fw-dw)/2)&^1, ((fh-dh)/2)&^1
	return image.Rect(x, y, x+dw, y+dh)
}
