package main

import (
	"fmt"
	"os"
	"runtime/pprof"
	"runtime/trace"
	"sync"
	"time"
)

// startProfile writes a CPU profile to the file KAIGI_CPUPROFILE names, if
// set (measurements: bench/window.sh, bench/hosted.sh), and a heap profile beside it, until the returned func is called or
// for KAIGI_CPUPROFILE_FOR (a duration, e.g. 30s) if that is set: a
// process a benchmark kills still leaves its profile.
func startProfile() func() {
	path := os.Getenv("KAIGI_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "kaigi: cpu profile:", err)
		return func() {}
	}
	// And an execution trace beside it (.trace) with KAIGI_TRACE=1: where
	// the UI thread waits.
	var tf *os.File
	if os.Getenv("KAIGI_TRACE") == "1" {
		if tf, err = os.Create(path + ".trace"); err == nil {
			err = trace.Start(tf)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "kaigi: trace:", err)
			tf = nil
		}
	}
	stop := sync.OnceFunc(func() {
		pprof.StopCPUProfile()
		f.Close()
		if tf != nil {
			trace.Stop()
			tf.Close()
		}
		// And what the heap holds then, beside it (.heap).
		if h, err := os.Create(path + ".heap"); err == nil {
			_ = pprof.WriteHeapProfile(h)
			h.Close()
		}
	})
	if d, err := time.ParseDuration(os.Getenv("KAIGI_CPUPROFILE_FOR")); err == nil && d > 0 {
		time.AfterFunc(d, stop)
	}
	return stop
}
