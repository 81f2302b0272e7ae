// Package clocale gives a process started in the C or POSIX locale (LANG=C
// or C.UTF-8, as services and containers are) an English UTF-8 locale
// instead. Fyne cannot read "C" and logs an error while its packages are
// initialised, before main runs, so this is done in an init function:
// import it for its side effect from package main. Go initialises it
// before Fyne's lang package, which needs packages that sort after it.
package clocale

import (
	"os"
	"strings"
)

func init() { Fix() }

// Fix replaces a C or POSIX locale in LC_ALL, LC_MESSAGES and LANG (the
// first that is set decides, as for the C library) with en_US.UTF-8.
func Fix() {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		switch loc := os.Getenv(v); {
		case loc == "":
			continue
		case loc == "C" || loc == "POSIX" || strings.HasPrefix(loc, "C."):
			os.Setenv(v, "en_US.UTF-8")
		default:
			return
		}
	}
}
