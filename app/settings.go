package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// openSettings shows Settings; closing it returns to the screen it came
// from (the lobby keeps its preview, a call goes on).
func (a *App) openSettings() {
	if a.state.Screen != ScreenSettings {
		a.state.settingsFrom = a.state.Screen
	}
	a.goTo(ScreenSettings)
}

func (a *App) closeSettings() { a.goTo(a.state.settingsFrom) }

// settingsScreen: the language, the sound processing, and what Kaigi is.
func (a *App) settingsScreen() fyne.CanvasObject {
	back := widget.NewButtonWithIcon(a.tr.T("settings.back"), theme.NavigateBackIcon(), a.closeSettings)
	back.Importance = widget.LowImportance
	title := widget.NewLabelWithStyle(a.tr.T("settings.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	top := container.NewPadded(container.NewHBox(back, title, layout.NewSpacer()))

	langHint := a.wrapped(a.tr.T("settings.language.hint"))
	langHint.Importance = widget.LowImportance
	language := widget.NewCard(a.tr.T("settings.language"), "", container.NewVBox(a.languagePicker(), langHint))

	privacy := a.wrapped(a.tr.T("settings.privacy"))
	version := widget.NewLabel(a.tr.Tf("settings.version", map[string]any{"Version": a.opts.Version}))
	version.Importance = widget.LowImportance
	about := widget.NewCard(a.tr.T("settings.about"), "", container.NewVBox(privacy, version))

	audio := widget.NewCard(a.tr.T("settings.audio"), "", a.processingChecks())
	sounds := widget.NewCard(a.tr.T("settings.sounds"), "", a.soundChecks())

	body := container.New(&maxWidth{Width: 560}, container.NewVBox(language, audio, sounds, about))
	return container.NewBorder(top, nil, nil, nil,
		container.NewVScroll(container.NewHBox(layout.NewSpacer(), container.NewPadded(body), layout.NewSpacer())))
}
