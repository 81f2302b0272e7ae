package race

// AtLeast is n in the ordinary run and 1 under the race detector: a rate
// the ordinary run demands (frames, packets) becomes "some arrived", which
// still proves the path works.
func AtLeast(n int) int {
	if Enabled {
		return min(n, 1)
	}
	return n
}

// AtLeastF is AtLeast for measures in floating point.
func AtLeastF(x float64) float64 {
	if Enabled {
		return min(x, 1)
	}
	return x
}

// Flowed is the least count of frames or packets that shows media flowed
// through a call for its whole length, of sent: half of it (AtLeast under
// the race detector). A stream that froze for half the call fails; a
// machine busy with other tests, where a decoder falls behind for a few
// seconds, does not. Rates themselves are measured by make bench.
func Flowed(sent float64) float64 { return AtLeastF(sent / 2) }
