package main

import (
	"fmt"
	"os"
)

// runJoin is `kaigi join LINK --headless ...`.
func runJoin(args []string) int {
	fmt.Fprintln(os.Stderr, "kaigi join: not built yet")
	return 2
}
