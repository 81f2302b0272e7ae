package headless

import (
	"fmt"
	"strings"

	"kaigi/media"
	"kaigi/media/screen"
	"kaigi/room"
)

// ShareStats is what our screen share sent.
type ShareStats struct {
	Source      string  `json:"source"`
	Frames      int     `json:"frames"`
	Bytes       int64   `json:"bytes"`
	Keyframes   int     `json:"keyframes"`
	FirstSentMs float64 `json:"first_sent_ms"` // since the share started
	Error       string  `json:"error,omitempty"`
}

// findSource picks what --share names: "screen" (the first monitor, or the
// whole screen), or a window whose title contains the text.
func findSource(spec string) (screen.Source, error) {
	srcs, err := screen.List()
	if err != nil {
		return screen.Source{}, err
	}
	for _, s := range srcs {
		if (spec == "screen" && s.Kind == screen.Monitor) || (s.Kind == screen.Window && strings.Contains(s.Title, spec)) {
			return s, nil
		}
	}
	return screen.Source{}, fmt.Errorf("%w: no screen or window %q", screen.ErrGone, spec)
}

// startShare shares what spec names in sess.
func startShare(sess room.Session, spec string, fps int) (*media.Share, error) {
	sharer, ok := sess.(room.Sharer)
	if !ok {
		return nil, fmt.Errorf("this room takes no screen share")
	}
	src, err := findSource(spec)
	if err != nil {
		return nil, err
	}
	capture, err := screen.Open(src, fps)
	if err != nil {
		return nil, err
	}
	share, err := media.NewShare(media.ShareConfig{Source: capture})
	if err != nil {
		return nil, err
	}
	if err := sharer.StartShare(share); err != nil {
		share.Close()
		return nil, err
	}
	return share, nil
}
