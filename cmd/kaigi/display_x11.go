//go:build linux && !wayland

package main

/*
#cgo LDFLAGS: -lX11
#include <X11/Xlib.h>

extern void kaigiDisplayLost(void);

static int on_io_error(Display *d) {
	kaigiDisplayLost();
	return 0; // not reached: kaigiDisplayLost exits
}

static void watch_display(void) { XSetIOErrorHandler(on_io_error); }
*/
import "C"

import (
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// displayLost runs when the connection to the X server breaks: the
// desktop session ended (a logout) or the server died. Xlib's own handler
// would end the process there and then, with the meeting still joined
// (others would see a frozen tile until the server gave up on us).
var (
	displayLost     func()
	displayLostOnce sync.Once
)

//export kaigiDisplayLost
func kaigiDisplayLost() {
	displayLostOnce.Do(func() {
		if displayLost != nil {
			displayLost()
		}
	})
	// Xlib must not continue after an I/O error.
	os.Exit(1)
}

// watchDisplay makes a lost X display call onLost (on the thread that
// found it, the UI's) before the app exits.
func watchDisplay(onLost func()) {
	displayLost = onLost
	// A write to the dead server's socket must fail (and reach the
	// handler), not kill the process by SIGPIPE: Go leaves C code's
	// SIGPIPE to the default action, which is to die.
	signal.Ignore(syscall.SIGPIPE)
	C.watch_display()
}
