package main

import (
	"log"
	"os"
	"syscall"
)

var attachConsoleProc = syscall.NewLazyDLL("kernel32.dll").NewProc("AttachConsole")

// useConsole gives the command-line subcommands (version, join, host) the
// console of whoever started them. kaigi.exe is a GUI program (no console
// window opens when it starts from the Start menu or a link), and Windows
// gives such a program no standard output unless it was redirected: output
// already redirected to a file or a pipe is kept, otherwise the parent's
// console is attached.
func useConsole() {
	if usable(os.Stdout) && usable(os.Stderr) {
		return
	}
	const attachParentProcess = ^uintptr(0) // (DWORD)-1
	if r, _, _ := attachConsoleProc.Call(attachParentProcess); r == 0 {
		return // started without a console (Explorer, a link): nowhere to write
	}
	con, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0)
	if err != nil {
		return
	}
	if !usable(os.Stdout) {
		os.Stdout = con
	}
	if !usable(os.Stderr) {
		os.Stderr = con
		log.SetOutput(con)
	}
}

func usable(f *os.File) bool {
	h := syscall.Handle(f.Fd())
	if h == 0 || h == syscall.InvalidHandle {
		return false
	}
	t, err := syscall.GetFileType(h)
	return err == nil && t != 0 // FILE_TYPE_UNKNOWN
}
