package clocale

import (
	"os"
	"testing"
)

// TestFix: a C locale reads as English messages, and the character type
// stays (or becomes) UTF-8, never the en_US.UTF-8 that may not exist.
func TestFix(t *testing.T) {
	vars := []string{"LC_ALL", "LC_MESSAGES", "LANG", "LC_CTYPE"}
	for _, tc := range []struct {
		name string
		env  map[string]string // before
		want map[string]string // after ("" = unset)
	}{
		{"LANG=C.UTF-8", map[string]string{"LANG": "C.UTF-8"},
			map[string]string{"LANG": "C.UTF-8", "LC_CTYPE": "C.UTF-8", "LC_MESSAGES": english}},
		{"LANG=C", map[string]string{"LANG": "C"},
			map[string]string{"LANG": "C", "LC_CTYPE": "C.UTF-8", "LC_MESSAGES": english}},
		{"LANG=POSIX, own LC_CTYPE", map[string]string{"LANG": "POSIX", "LC_CTYPE": "ja_JP.UTF-8"},
			map[string]string{"LANG": "POSIX", "LC_CTYPE": "ja_JP.UTF-8", "LC_MESSAGES": english}},
		{"LC_ALL=C.UTF-8", map[string]string{"LC_ALL": "C.UTF-8", "LANG": "ja_JP.UTF-8"},
			map[string]string{"LANG": "C.UTF-8", "LC_CTYPE": "C.UTF-8", "LC_MESSAGES": english}},
		{"LC_MESSAGES=C", map[string]string{"LC_MESSAGES": "C", "LANG": "ja_JP.UTF-8"},
			map[string]string{"LANG": "ja_JP.UTF-8", "LC_MESSAGES": english}},
		{"LANG=ja_JP.UTF-8", map[string]string{"LANG": "ja_JP.UTF-8"},
			map[string]string{"LANG": "ja_JP.UTF-8"}},
		{"nothing set", map[string]string{}, map[string]string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, v := range vars {
				t.Setenv(v, "") // restored after the test
				os.Unsetenv(v)
			}
			for k, v := range tc.env {
				os.Setenv(k, v)
			}
			Fix()
			for _, v := range vars {
				if got := os.Getenv(v); got != tc.want[v] {
					t.Errorf("%s=%q, want %q", v, got, tc.want[v])
				}
			}
		})
	}
}
