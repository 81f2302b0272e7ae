package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"kaigi/media"
)

// processingConfig is what the user chose; gain control is always on.
func (a *App) processingConfig() media.ProcessingConfig {
	return media.ProcessingConfig{
		EchoCancel:    a.prefs.p.BoolWithFallback(prefEchoCancel, true),
		NoiseSuppress: a.prefs.p.BoolWithFallback(prefNoiseSuppress, true),
		GainControl:   true,
	}
}

// processing is the audio processing stage the microphone and the speaker
// share, made when first needed and kept for every call (nil where the
// platform has none: the microphone then goes out as captured).
func (a *App) processing() *media.Processing {
	if a.proc == nil && !a.opts.FakeMedia {
		a.proc, _ = media.NewProcessing(a.processingConfig())
	}
	return a.proc
}

// processingChecks are the "Echo cancellation" and "Noise suppression"
// switches (lobby and Settings); they act at once, also in a call.
func (a *App) processingChecks() fyne.CanvasObject {
	check := func(key, pref string) *widget.Check {
		c := widget.NewCheck(a.tr.T(key), func(v bool) {
			a.prefs.p.SetBool(pref, v)
			if a.proc != nil {
				_ = a.proc.Set(a.processingConfig())
			}
		})
		c.SetChecked(a.prefs.p.BoolWithFallback(pref, true))
		return c
	}
	return container.NewVBox(check("audio.echo_cancellation", prefEchoCancel), check("audio.noise_suppression", prefNoiseSuppress))
}
