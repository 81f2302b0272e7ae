package main

import (
	"flag"
	"fmt"
	"os"

	fyneapp "fyne.io/fyne/v2/app"

	"kaigi/app"
	"kaigi/i18n"
)

// runGUI opens the app: `kaigi [--lang en|ja|zh_TW] [LINK]`.
func runGUI(args []string) int {
	fs := flag.NewFlagSet("kaigi", flag.ContinueOnError)
	langFlag := fs.String("lang", "", "interface language for this run: en, ja or zh_TW")
	screen := fs.String("screen", "", "open a screen with sample content (for make screenshots)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	opts := app.Options{Version: version, Screen: *screen, Join: joinFunc(dialers())}
	if *langFlag != "" {
		l, ok := i18n.Parse(*langFlag)
		if !ok {
			fmt.Fprintf(os.Stderr, "kaigi: unknown language %q (en, ja, zh_TW)\n", *langFlag)
			return 2
		}
		opts.Lang = l
	}
	if fs.NArg() > 0 {
		opts.Link = fs.Arg(0)
	}
	a, err := app.New(fyneapp.NewWithID("io.kaigi.Kaigi"), opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kaigi:", err)
		return 1
	}
	a.Run()
	return 0
}
