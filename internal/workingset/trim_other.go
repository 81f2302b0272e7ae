//go:build !linux

package workingset

import "errors"

// Trim does nothing here: the systems other than Linux that Kaigi runs on
// trim a process's working set themselves under memory pressure.
func Trim() (int64, error) { return 0, errors.ErrUnsupported }

func residentFiles() (int64, bool) { return 0, false }
