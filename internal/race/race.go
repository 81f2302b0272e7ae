//go:build !race

// Package race tells tests whether the race detector is on. Under it
// everything runs several times slower, so tests still walk every path
// (which is what the detector checks) but leave out the checks of speed
// and media quality, which the ordinary run of make test makes.
package race

// Enabled is true in a binary built with -race.
const Enabled = false
