//go:build !linux

package workingset

// Trim does nothing here: the systems other than Linux that Kaigi runs on
// trim a process's working set themselves under memory pressure.
func Trim() (int64, error) { return 0, nil }

func residentFiles() (int64, bool) { return 0, false }

// Droppable is 0 here: Trim drops nothing.
func Droppable(pid int) (int64, error) { return 0, nil }
