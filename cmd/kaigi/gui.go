package main

import (
	"fmt"
	"os"
)

// runGUI opens the app: `kaigi [--lang en|ja|zh_TW] [LINK]`.
func runGUI(args []string) int {
	fmt.Fprintln(os.Stderr, "kaigi: the app is not built yet")
	return 2
}
