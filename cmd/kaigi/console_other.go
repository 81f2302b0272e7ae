//go:build !windows

package main

// useConsole does nothing outside Windows: programs have their terminal.
func useConsole() {}
