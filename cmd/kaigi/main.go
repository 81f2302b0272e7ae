// Command kaigi is the Kaigi meeting client: with no arguments (or a meeting
// link) it opens the app; `kaigi join --headless` joins without a window;
// `kaigi host` serves a meeting; `kaigi version` prints the version.
package main

import (
	"fmt"
	"os"

	_ "kaigi/i18n/clocale" // before Fyne reads the locale
)

// version is set at build time (-ldflags "-X main.version=...").
var version = "0.1.0-dev"

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	if len(args) > 0 {
		switch args[0] {
		case "version", "--version", "-version", "join", "host":
			useConsole()
		}
		switch args[0] {
		case "version", "--version", "-version":
			fmt.Println("kaigi", version)
			return 0
		case "join":
			return runJoin(args[1:])
		case "host":
			return runHost(args[1:])
		}
	}
	return runGUI(args)
}
