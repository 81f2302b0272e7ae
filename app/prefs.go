package app

import (
	"encoding/json"

	"fyne.io/fyne/v2"

	"kaigi/i18n"
)

// Preference keys (not shown to the user).
const (
	prefLang   = "lang"
	prefName   = "name"
	prefRecent = "recent"

	prefCamera     = "camera"
	prefMicrophone = "microphone"
	prefSpeaker    = "speaker"
	prefMicOn      = "micOn"
	prefCamOn      = "camOn"

	// Audio processing stages (on unless turned off).
	prefEchoCancel    = "echoCancel"
	prefNoiseSuppress = "noiseSuppress"

	// Sounds in a call (on unless turned off).
	prefSoundJoin = "soundJoin"
	prefSoundChat = "soundChat"
	prefSoundHand = "soundHand"
)

// prefs is what Kaigi remembers between runs, in Fyne's preferences.
type prefs struct{ p fyne.Preferences }

// lang is the remembered language, or on first start the OS locale's.
func (p prefs) lang() i18n.Lang {
	if l, ok := i18n.Parse(p.p.String(prefLang)); ok {
		return l
	}
	return i18n.SystemLang()
}

func (p prefs) setLang(l i18n.Lang) { p.p.SetString(prefLang, string(l)) }

func (p prefs) name() string        { return p.p.String(prefName) }
func (p prefs) setName(name string) { p.p.SetString(prefName, name) }

func (p prefs) recent() []Recent {
	var r []Recent
	if s := p.p.String(prefRecent); s != "" {
		if err := json.Unmarshal([]byte(s), &r); err != nil {
			return nil
		}
	}
	return r
}

func (p prefs) setRecent(r []Recent) {
	data, err := json.Marshal(r)
	if err != nil {
		return
	}
	p.p.SetString(prefRecent, string(data))
}
