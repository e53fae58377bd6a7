//go:build race

package cli

// raceEnabled: the race detector slows SQLite (pure Go) about tenfold, so
// the largest fixtures shrink under it; the figures in the README and the
// closing notes come from runs without it.
const raceEnabled = true
