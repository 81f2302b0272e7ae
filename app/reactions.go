package app

import "fyne.io/fyne/v2"

// Reactions and the raised hand are drawn by Kaigi, not typed as emoji:
// Fyne draws text with outline fonts only, so colour emoji fonts (bitmap
// glyphs) give boxes, and a machine may have no emoji font at all. Each is
// a small colour SVG, 24x24, that reads at tile size.

func colourIcon(name, body string) fyne.Resource {
	return fyne.NewStaticResource(name+".svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">`+body+`</svg>`))
}

const (
	yellow = `#fbbf24`
	amber  = `#b45309`
)

var (
	// iconHand is a raised hand (✋).
	iconHand = colourIcon("hand", `<path fill="`+yellow+`" stroke="`+amber+`" stroke-width="1" d="M7 21c-2-1.8-3.5-4.5-4-6.8-.3-1.2 1.2-1.9 2-1l2 2.3V5.2a1.3 1.3 0 0 1 2.6 0V11h.6V3.3a1.3 1.3 0 0 1 2.6 0V11h.6V4.3a1.3 1.3 0 0 1 2.6 0V11h.6V6.6a1.3 1.3 0 0 1 2.6 0v8.6c0 2.4-.9 4.4-2.4 5.8z"/>`)

	reactionIcons = map[string]fyne.Resource{
		// 👍
		"👍": colourIcon("thumbs-up", `<path fill="`+yellow+`" stroke="`+amber+`" stroke-width="1" d="M2.5 10h4v11h-4zM8 20.5V10.4l4.3-7.2c.6-1 2.2-.6 2.2.6V9h5.2c1.3 0 2.2 1.2 1.9 2.4l-2 7.6c-.3 1-1.1 1.5-2 1.5z"/>`),
		// ❤️
		"❤️": colourIcon("heart", `<path fill="#ef4444" d="M12 21.2 10.6 20C5.4 15.3 2 12.2 2 8.4 2 5.3 4.4 3 7.5 3c1.7 0 3.4.8 4.5 2.1A6 6 0 0 1 16.5 3C19.6 3 22 5.3 22 8.4c0 3.8-3.4 6.9-8.6 11.6z"/>`),
		// 😂
		"😂": colourIcon("laughing", `<circle cx="12" cy="12" r="10" fill="`+yellow+`" stroke="`+amber+`" stroke-width="1"/>`+
			`<path fill="none" stroke="#78350f" stroke-width="1.5" stroke-linecap="round" d="M6.5 9.5q1.5-1.8 3 0M14.5 9.5q1.5-1.8 3 0"/>`+
			`<path fill="#78350f" d="M6.5 13h11a5.5 5.5 0 0 1-11 0z"/>`+
			`<path fill="#60a5fa" d="M3 11q-1.5 3 0 4.5 1.5-1.5 0-4.5zM21 11q1.5 3 0 4.5-1.5-1.5 0-4.5z"/>`),
		// 👏
		"👏": colourIcon("clap", `<path fill="`+yellow+`" stroke="`+amber+`" stroke-width="1" d="M9 21c-2.8-.6-5-3-5.5-6L2.8 9.6a1.2 1.2 0 0 1 2.3-.5l1.3 3.4L4.6 6a1.2 1.2 0 0 1 2.3-.6l1.8 5.7-.9-6.4a1.2 1.2 0 0 1 2.4-.3l1.1 6 .1-3.6a1.2 1.2 0 0 1 2.4.1l-.2 6.3c0 4.7-2.2 8.4-4.6 7.8z"/>`+
			`<path fill="none" stroke="#f59e0b" stroke-width="1.5" stroke-linecap="round" d="M16 4.5l1-2M18.5 7l2-1M19 10.5h2.2"/>`),
		// 🎉
		"🎉": colourIcon("party", `<path fill="#f59e0b" stroke="`+amber+`" stroke-width="1" d="M3 21 8 7.5l8.5 8.5z"/>`+
			`<circle cx="15" cy="4" r="1.5" fill="#ec4899"/><circle cx="20" cy="9" r="1.5" fill="#3b82f6"/><circle cx="19" cy="3" r="1" fill="#22c55e"/>`+
			`<path fill="none" stroke="#8b5cf6" stroke-width="1.5" stroke-linecap="round" d="M11 6q1-2 3-1M18 13q2-1 3 1"/>`),
		// 😮
		"😮": colourIcon("surprised", `<circle cx="12" cy="12" r="10" fill="`+yellow+`" stroke="`+amber+`" stroke-width="1"/>`+
			`<circle cx="8.5" cy="9.5" r="1.5" fill="#78350f"/><circle cx="15.5" cy="9.5" r="1.5" fill="#78350f"/>`+
			`<ellipse cx="12" cy="16" rx="2.5" ry="3" fill="#78350f"/>`),
	}
)
