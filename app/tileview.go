// One person's tile on the stage: video or initials, name, mute mark, speaking ring, pin.

package app

import (
	"image/color"

	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"kaigi/room"
)

// tile is one person: video, or initials when the camera is off; name,
// muted microphone, and a ring while speaking. Software GL (Xvfb, old
// machines) pays for every pixel of every layer at every video frame, so a
// video tile has no background under it: the picture covers the tile
// (cropped at the edges, as meeting apps do), except the one large tile of
// speaker view (large), which shows all of it. The ring is four thin bars,
// not a stroked rectangle, whose shader runs over the whole tile.
func (a *App) tile(c *callState, p *person, large bool) fyne.CanvasObject {
	return a.tileSized(c, p, large, false)
}

// tileSized is tile; small tiles (speaker view's strip) get a smaller
// avatar, so the name tag under it does not cover it.
func (a *App) tileSized(c *callState, p *person, large, small bool) fyne.CanvasObject {
	p.ring = newRing()
	if !p.speaking {
		p.ring.Hide()
	}
	videoOn := p.HasVideo && !p.VideoMuted && !p.Undecryptable[room.Video]
	if p.ID == c.selfID {
		videoOn = c.local != nil && c.local.VideoTrack() != nil && !c.camOff && !c.camDown
	}
	var layers []fyne.CanvasObject
	if videoOn {
		p.tile.img.FillMode = canvas.ImageFillCover
		if large {
			p.tile.img.FillMode = canvas.ImageFillContain
			layers = append(layers, canvas.NewRectangle(tileBackground))
		}
		layers = append(layers, p.tile.img)
	} else {
		circle := canvas.NewCircle(tileColor(p.ID))
		letters := canvas.NewText(initials(p.Name), color.White)
		letters.TextSize = 28
		letters.TextStyle = fyne.TextStyle{Bold: true}
		letters.Alignment = fyne.TextAlignCenter
		avatar := fyne.NewSize(88, 88)
		var avatarBox fyne.CanvasObject
		if small {
			avatar, letters.TextSize = fyne.NewSize(48, 48), 18
		}
		avatarBox = container.New(&fixedSize{avatar}, container.NewStack(circle, container.NewCenter(letters)))
		if small {
			// Above the name tag, not under it.
			avatarBox = container.NewVBox(container.NewCenter(avatarBox), layout.NewSpacer())
			avatarBox = container.NewPadded(avatarBox)
		} else {
			avatarBox = container.NewCenter(avatarBox)
		}
		layers = append(layers, canvas.NewRectangle(tileBackground), avatarBox)
	}
	name := p.Name
	if p.ID == c.selfID {
		name = a.tr.Tf("call.you", map[string]any{"Name": p.Name})
	}
	label := canvas.NewText(" "+name+" ", color.White)
	label.TextSize = 13
	labelBg := canvas.NewRectangle(color.NRGBA{0, 0, 0, 0x99})
	labelBg.CornerRadius = 4
	badge := container.NewHBox()
	muted := p.AudioMuted
	if p.ID == c.selfID {
		muted = c.micOff
	}
	if muted {
		badge.Add(widget.NewIcon(iconMicOff))
	}
	if p.Hand {
		badge.Add(handMark())
	}
	nameTag := container.NewHBox(container.NewStack(labelBg, container.NewHBox(badge, label)))
	var pin fyne.CanvasObject = layout.NewSpacer()
	if p.ID != c.selfID {
		tip := a.tr.T("call.tip.pin")
		if c.pinned == p.ID {
			tip = a.tr.T("call.tip.unpin")
		}
		pb := a.newTipButton("", iconPin, tip, func() {
			if c.pinned == p.ID {
				c.pinned = ""
			} else {
				c.pinned, c.speaker = p.ID, true
			}
			a.show()
		})
		pb.Importance = widget.LowImportance
		if c.pinned == p.ID {
			pb.Importance = widget.HighImportance // pinned looks pinned
		}
		pin = pb
	}
	over := container.NewBorder(container.NewHBox(layout.NewSpacer(), pin), container.NewPadded(nameTag), nil, nil)
	layers = append(layers, p.ring, over)
	if r := a.reactionLayer(c, p); r != nil {
		layers = append(layers, r)
	}
	return container.NewStack(layers...)
}

// tileBackground is behind initials, and around the large tile's video.
var tileBackground = color.NRGBA{0x20, 0x22, 0x28, 0xff}

// ringColor marks who speaks.
var ringColor = color.NRGBA{0x22, 0xc5, 0x5e, 0xff}

// ringWidth is how thick the speaking ring is.
const ringWidth = 3

// newRing is a frame of four bars along the edges of what it is stacked on.
func newRing() *fyne.Container {
	bars := make([]fyne.CanvasObject, 4)
	for i := range bars {
		bars[i] = canvas.NewRectangle(ringColor)
	}
	return container.New(ringLayout{}, bars...)
}

type ringLayout struct{}

func (ringLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(2*ringWidth, 2*ringWidth)
}
func (ringLayout) Layout(bars []fyne.CanvasObject, size fyne.Size) {
	w, h := size.Width, size.Height
	place := func(o fyne.CanvasObject, x, y, bw, bh float32) {
		o.Move(fyne.NewPos(x, y))
		o.Resize(fyne.NewSize(bw, bh))
	}
	place(bars[0], 0, 0, w, ringWidth)
	place(bars[1], 0, h-ringWidth, w, ringWidth)
	place(bars[2], 0, 0, ringWidth, h)
	place(bars[3], w-ringWidth, 0, ringWidth, h)
}

// initials are what a tile without video shows: the first letters of the
// first two words ("Ken Sato" → "KS"), or for a name that starts in
// Chinese or Japanese script only its first character ("小明 Yuki" → "小",
// not a mix of scripts).
func initials(name string) string {
	words := strings.Fields(name)
	if len(words) == 0 {
		return "?"
	}
	if first := []rune(words[0])[0]; isCJK(first) {
		return string(first)
	}
	var out []rune
	for _, w := range words {
		out = append(out, unicode.ToUpper([]rune(w)[0]))
		if len(out) == 2 {
			break
		}
	}
	return string(out)
}

// isCJK says whether r is written in Chinese characters, kana or hangul.
func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// fixedSize gives its content one size.
type fixedSize struct{ size fyne.Size }

func (f *fixedSize) MinSize([]fyne.CanvasObject) fyne.Size { return f.size }
func (f *fixedSize) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}
