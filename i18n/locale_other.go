//go:build !windows

package i18n

import (
	"os"
	"strings"
)

// SystemLang is the language of the OS locale: the first of LC_ALL,
// LC_MESSAGES, LANG, LANGUAGE that is set.
func SystemLang() Lang {
	for _, env := range []string{"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"} {
		if v := os.Getenv(env); v != "" {
			v, _, _ = strings.Cut(v, ":") // LANGUAGE is a list
			return FromLocale(v)
		}
	}
	return English
}
