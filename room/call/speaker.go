package call

import "time"

// DominantAfter is how long someone must stay the loudest voice before
// speaker view shows them large.
const DominantAfter = time.Second

// Dominant picks whom speaker view shows large: the loudest voice, once
// it has stayed the loudest for DominantAfter. Without the wait, two
// voices at about the same level, crosstalk or a cough swap the large
// tile several times a second (make bench's rooms, where a dozen tones
// compete, swapped it four times a second, each swap a keyframe and a
// change of layer). The first voice heard is shown at once; silence keeps
// whoever spoke last.
type Dominant struct {
	current   string
	candidate string
	since     time.Time
}

// Update takes the loudest voice now ("" in silence; ourselves never: we
// are not shown to ourselves large) and says whether the dominant speaker
// changed.
func (d *Dominant) Update(loudest string, now time.Time) bool {
	if loudest == "" || loudest == d.current {
		d.candidate = ""
		return false
	}
	if loudest != d.candidate {
		d.candidate, d.since = loudest, now
	}
	if d.current != "" && now.Sub(d.since) < DominantAfter {
		return false
	}
	d.current, d.candidate = loudest, ""
	return true
}

// Current is the dominant speaker ("" before anyone spoke).
func (d *Dominant) Current() string { return d.current }

// Forget drops someone who left.
func (d *Dominant) Forget(id string) {
	if d.current == id {
		d.current = ""
	}
	if d.candidate == id {
		d.candidate = ""
	}
}
