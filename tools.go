//go:build tools

// This file pins modules the code uses before every package imports them
// (go mod tidy keeps what any build tag imports). Delete lines as real
// imports appear.
package tools

import (
	_ "fyne.io/fyne/v2/app"
	_ "fyne.io/fyne/v2/dialog"
	_ "fyne.io/fyne/v2/test"
	_ "fyne.io/fyne/v2/widget"
	_ "github.com/gen2brain/malgo"
	_ "github.com/livekit/protocol/auth"
	_ "github.com/livekit/server-sdk-go/v2"
	_ "github.com/nicksnyder/go-i18n/v2/i18n"
	_ "github.com/pion/interceptor/pkg/gcc"
	_ "github.com/pion/mediadevices"
	_ "github.com/pion/mediadevices/pkg/codec/opus"
	_ "github.com/pion/mediadevices/pkg/codec/vpx"
	_ "github.com/pion/webrtc/v4"
	_ "go.uber.org/goleak"
	_ "gopkg.in/hraban/opus.v2"
)
