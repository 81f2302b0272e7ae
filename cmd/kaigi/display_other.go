//go:build !linux || wayland

package main

// watchDisplay: only X11 ends a process whose display is gone without
// asking; elsewhere the window system closes the window, and the app
// leaves as on any close.
func watchDisplay(func()) {}
