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
