// Package assets holds what ships inside the binary: the icon and the CJK
// font subsets (made by scripts/fonts.sh from Noto Sans CJK, OFL licence in
// fonts/OFL.txt), and the desktop files installed beside it.
package assets

import _ "embed"

// Icon is the 512x512 app icon (drawn by scripts/icon).
//
//go:embed icon.png
var Icon []byte

// FontJP is Noto Sans CJK JP cut to the characters Japanese needs.
//
//go:embed fonts/NotoSansCJKjp-Kaigi.otf
var FontJP []byte

// FontTC is Noto Sans CJK TC cut to the characters Traditional Chinese needs.
//
//go:embed fonts/NotoSansCJKtc-Kaigi.otf
var FontTC []byte
