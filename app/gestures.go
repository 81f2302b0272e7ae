// Raised hands, reactions and the sounds of a call: the buttons that send
// them, how tiles show them, and the cues that tell of them.

package app

import (
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaigi/media"
	"kaigi/room"
	"kaigi/room/call"
)

// barButton makes one of the control bar's buttons (see controlBar).
type barButton func(text string, icon fyne.Resource, tip string, tapped func()) *tipButton

// gestureButtons is the React button, where the room carries hands and
// reactions: it opens "Raise hand" and the reactions (one button, as
// meeting apps do, so the bar keeps its words in a normal window). While
// our hand is up it says so, and lowers it in one tap.
func (a *App) gestureButtons(c *callState, button barButton) []fyne.CanvasObject {
	if _, ok := c.session.(room.Gestures); !ok {
		return nil
	}
	if c.m.Person(c.selfID).Hand {
		b := button(a.tr.T("call.lower_hand"), iconHand, "", func() { a.toggleHand(c) })
		b.Importance = widget.HighImportance
		return []fyne.CanvasObject{b}
	}
	react := button(a.tr.T("call.react"), reactionIcons[room.Reactions[0]], "", nil)
	react.OnTapped = func() { a.showReactions(c, react) }
	return []fyne.CanvasObject{react}
}

func (a *App) toggleHand(c *callState) {
	g, ok := c.session.(room.Gestures)
	if !ok || a.state.Call != c {
		return
	}
	if err := g.RaiseHand(!c.m.Person(c.selfID).Hand); err != nil {
		key := "call.hand_failed"
		if errors.Is(err, room.ErrUnsupported) {
			key = "call.hand_unavailable"
		}
		a.notify(a.tr.T(key))
	}
}

// showReactions offers "Raise hand" and the reactions over the React
// button; one tap does one.
func (a *App) showReactions(c *callState, at fyne.CanvasObject) {
	g, ok := c.session.(room.Gestures)
	if !ok {
		return
	}
	var pop *widget.PopUp
	hand := widget.NewButtonWithIcon(a.tr.T("call.raise_hand"), iconHand, func() {
		pop.Hide()
		a.toggleHand(c)
	})
	hand.Importance = widget.LowImportance
	row := container.NewHBox(hand)
	for _, e := range room.Reactions {
		b := widget.NewButtonWithIcon("", reactionIcons[e], func() {
			pop.Hide()
			if a.state.Call == c {
				_ = g.React(e)
			}
		})
		b.Importance = widget.LowImportance
		row.Add(b)
	}
	pop = widget.NewPopUp(row, a.win.Canvas())
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(at)
	pop.ShowAtPosition(fyne.NewPos(pos.X, pos.Y-pop.MinSize().Height-theme.Padding()))
}

// handMark is the raised hand on a tile's name tag and in the list.
func handMark() fyne.CanvasObject {
	img := canvas.NewImageFromResource(iconHand)
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(fyne.NewSize(20, 20))
	return img
}

// reactionLayer floats someone's reaction up over their tile while it is
// shown (nil when there is none).
func (a *App) reactionLayer(c *callState, p *person) fyne.CanvasObject {
	e := c.m.Reacting(p.ID)
	if e == "" || reactionIcons[e] == nil {
		return nil
	}
	img := canvas.NewImageFromResource(reactionIcons[e])
	img.FillMode = canvas.ImageFillContain
	left := call.ReactionShown - time.Since(p.ReactedAt)
	f := &floatUp{obj: img, progress: 1 - float32(left)/float32(call.ReactionShown)}
	layer := container.New(f, img)
	anim := fyne.NewAnimation(left, func(v float32) {
		f.progress = 1 - float32(left)/float32(call.ReactionShown)*(1-v)
		f.Layout(layer.Objects, layer.Size())
	})
	anim.Curve = fyne.AnimationLinear
	anim.Start()
	c.anims = append(c.anims, anim)
	return layer
}

// floatUp places its object low in the middle of the space and moves it
// up as progress goes from 0 to 1.
type floatUp struct {
	obj      fyne.CanvasObject
	progress float32
}

func (f *floatUp) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	side := min(64, size.Height/2, size.Width/2)
	y := (size.Height - side) * (0.75 - 0.5*f.progress)
	for _, o := range objs {
		o.Resize(fyne.NewSize(side, side))
		o.Move(fyne.NewPos((size.Width-side)/2, y))
	}
}

func (f *floatUp) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.Size{} }

// stopAnims stops the reactions' animations of the screen being replaced.
func (c *callState) stopAnims() {
	for _, an := range c.anims {
		an.Stop()
	}
	c.anims = nil
}

// gestureBanners are the lines over the stage about hands and the host's
// controls: for whoever runs the meeting, how many hands are up and
// whether it is locked; for whoever was muted, by whom.
func (a *App) gestureBanners(c *callState) []fyne.CanvasObject {
	var lines []fyne.CanvasObject
	if c.m.MutedBy != "" {
		msg := a.wrapped(a.tr.Tf("call.muted_by_host", map[string]any{"Name": c.m.MutedBy}))
		msg.Importance = widget.WarningImportance
		close := widget.NewButtonWithIcon("", theme.CancelIcon(), func() { c.m.MutedBy = ""; a.show() })
		lines = append(lines, container.NewBorder(nil, nil, nil, close, msg))
	}
	if !c.m.Moderating() {
		return lines
	}
	if hands := c.m.Hands(); len(hands) > 0 {
		var names []string
		for _, id := range hands {
			if p := c.m.Person(id); p != nil && id != c.selfID {
				names = append(names, p.Name)
			}
		}
		if len(names) > 0 {
			text := a.tr.N("call.hands_up", len(names), map[string]any{"Names": strings.Join(names, a.tr.T("call.list_sep"))})
			show := widget.NewButton(a.tr.T("call.people"), func() { c.peopleOn = true; c.m.SetChatOpen(false); a.show() })
			lines = append(lines, container.NewBorder(nil, nil, handMark(), container.NewCenter(show), a.wrapped(text)))
		}
	}
	if c.m.Locked {
		lines = append(lines, container.NewBorder(nil, nil, widget.NewIcon(iconLock), nil, a.wrapped(a.tr.T("call.locked_banner"))))
	}
	return lines
}

// Sound preferences: each cue can be turned off in Settings.
var cuePrefs = []struct {
	cue  media.Cue
	pref string
	key  string
}{
	{media.CueJoin, prefSoundJoin, "settings.sound.join"},
	{media.CueChat, prefSoundChat, "settings.sound.chat"},
	{media.CueHand, prefSoundHand, "settings.sound.hand"},
}

// soundChecks are Settings' switches for the cues.
func (a *App) soundChecks() fyne.CanvasObject {
	box := container.NewVBox()
	for _, s := range cuePrefs {
		ch := widget.NewCheck(a.tr.T(s.key), func(v bool) { a.prefs.p.SetBool(s.pref, v) })
		ch.SetChecked(a.prefs.p.BoolWithFallback(s.pref, true))
		box.Add(ch)
	}
	hint := a.wrapped(a.tr.Tf("settings.sound.hint", map[string]any{"Count": quietAbove}))
	hint.Importance = widget.LowImportance
	box.Add(hint)
	return box
}

// cue plays a sound, unless it is turned off.
func (a *App) cue(c *callState, cue media.Cue) {
	for _, s := range cuePrefs {
		if s.cue == cue && !a.prefs.p.BoolWithFallback(s.pref, true) {
			return
		}
	}
	c.cues = append(c.cues, cue)
	if c.remote != nil {
		c.remote.PlayCue(cue)
	}
}

// gestureEvent is the side of an event that is heard or said rather than
// drawn: cues, and being muted by the host. It runs after the model took
// the event in; joined says it was someone new arriving.
func (a *App) gestureEvent(c *callState, ev room.Event, joined bool) {
	switch e := ev.(type) {
	case room.ParticipantJoined:
		if joined && time.Since(c.entered) >= rosterSettle && c.m.Len() <= quietAbove {
			a.cue(c, media.CueJoin)
		}
	case room.ChatMessage:
		if !c.m.ChatOpen() && e.FromID != c.selfID && !e.History {
			a.cue(c, media.CueChat)
		}
	case room.HandRaised:
		if e.Raised && e.ParticipantID != c.selfID && c.m.Moderating() {
			a.cue(c, media.CueHand)
		}
	case room.Reaction:
		// Gone from the tile once its time is up.
		time.AfterFunc(call.ReactionShown, func() { fyne.Do(a.showSoon) })
	case room.MutedByHost:
		c.micOff, c.pushing = true, false
	}
}
