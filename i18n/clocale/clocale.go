// Package clocale gives a process started in the C or POSIX locale (LANG=C
// or C.UTF-8, as services and containers are) English messages instead.
// Fyne cannot read "C" and logs an error while its packages are
// initialised, before main runs, so this is done in an init function:
// import it for its side effect from package main. Go initialises it
// before Fyne's lang package, which needs packages that sort after it.
//
// Only the language is changed, through LC_MESSAGES: the character type
// (LC_CTYPE, which GLFW hands to Xlib) stays what the user had, or becomes
// C.UTF-8. Rewriting LANG itself to en_US.UTF-8 left Xlib in the plain C
// locale wherever en_US.UTF-8 is not generated (containers, minimal
// installs), and Xlib then drops every Japanese or Chinese character an
// input method commits.
package clocale

import (
	"os"
	"strings"
)

func init() { Fix() }

// english is what Fyne and Kaigi read as the language instead of C.
const english = "en_US.UTF-8"

// Fix makes a C or POSIX locale read as English: the first of LC_ALL,
// LC_MESSAGES and LANG that is set decides, as for the C library.
func Fix() {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		loc := os.Getenv(v)
		switch {
		case loc == "":
			continue
		case !isC(loc):
			return
		case v == "LC_ALL":
			// LC_ALL overrides every category: it gives way to LANG so
			// that LC_MESSAGES can say English, and LC_CTYPE keeps it.
			os.Unsetenv("LC_ALL")
			os.Setenv("LANG", loc)
			os.Setenv("LC_CTYPE", utf8(loc))
		case os.Getenv("LC_CTYPE") == "" && v == "LANG":
			os.Setenv("LC_CTYPE", utf8(loc))
		}
		os.Setenv("LC_MESSAGES", english)
		return
	}
}

// isC reports whether loc is the C or POSIX locale, with or without a
// character set (C.UTF-8).
func isC(loc string) bool {
	return loc == "C" || loc == "POSIX" || strings.HasPrefix(loc, "C.") || strings.HasPrefix(loc, "POSIX.")
}

// utf8 is the C locale with UTF-8 characters: plain C is ASCII, in which
// Xlib cannot hand over Japanese or Chinese text. glibc has C.UTF-8
// built in since 2.35.
func utf8(loc string) string {
	if loc == "C" || loc == "POSIX" {
		return "C.UTF-8"
	}
	return loc
}
