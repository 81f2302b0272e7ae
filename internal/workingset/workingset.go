// Package workingset hands back to the system the pages of files that the
// process mapped, read once and no longer uses.
//
// A process keeps every page of a library or of its own binary that it
// ever touched counted as its own (resident) until it exits, though such a
// page is only a copy of the file the system can read again. In the
// window two mappings hold most of them: the GL driver's shader compiler
// (libLLVM, ~45 MB touched whenever a new screen's shaders are compiled,
// then idle under software rendering) and the gzipped fonts inside our
// binary (read once, when unpacked). Trim drops such pages from the
// process; what it still uses is read back from the system's page cache at
// its next touch, with a minor page fault and no disk access.
//
// Only pages that cannot hold anything of ours are dropped: those of
// private, read-only file mappings that were never written to (no
// anonymous pages), so dropping them loses nothing; and only of files that
// stay mapped where they are for the life of the process (our executable,
// and the shared objects the dynamic loader has loaded, which Trim pins),
// since a range that another thread unmaps and maps again as memory of
// ours between the look and the trim would be zeroed (trim_linux.go).
package workingset

import "time"

// Watch trims at once, then whenever the process's resident file pages
// have grown by more than slack since the last trim, and in any case every
// sweep, looking every period, until stop closes. It returns at once where
// a trim cannot be made (other systems, no /proc).
//
// The pages still in use (our own code, the rasteriser's) come back
// within a moment of each trim; slack must be larger than them, or every
// look would trim again.
func Watch(period, sweep time.Duration, slack int64, stop <-chan struct{}) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		if _, err := Trim(); err != nil {
			return
		}
		last := time.Now()
		base, _ := residentFiles()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
			}
			if time.Since(last) >= sweep {
				break
			}
			if now, ok := residentFiles(); ok && now > base+slack {
				break
			}
		}
	}
}
