package main

import (
	"fmt"
	"os"
)

// runHost is `kaigi host --listen ADDR --group NAME`.
func runHost(args []string) int {
	fmt.Fprintln(os.Stderr, "kaigi host: not built yet")
	return 2
}
