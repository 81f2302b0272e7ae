package i18n

import "testing"

// The locale name is read (under Wine it follows LANG).
func TestSystemLangWindows(t *testing.T) {
	name := userLocaleName()
	t.Logf("user locale %q → %s", name, SystemLang())
	if name == "" {
		t.Error("GetUserDefaultLocaleName returned nothing")
	}
}
