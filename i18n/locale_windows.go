package i18n

import (
	"syscall"
	"unsafe"
)

var getUserDefaultLocaleName = syscall.NewLazyDLL("kernel32.dll").NewProc("GetUserDefaultLocaleName")

// SystemLang is the language of the user's Windows locale (a BCP 47 name
// such as ja-JP, zh-TW or zh-HK).
func SystemLang() Lang {
	return FromLocale(userLocaleName())
}

func userLocaleName() string {
	const localeNameMaxLength = 85
	var buf [localeNameMaxLength]uint16
	n, _, _ := getUserDefaultLocaleName.Call(uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)))
	if n == 0 {
		return ""
	}
	return syscall.UTF16ToString(buf[:])
}
