//go:build race

package playlisttest

// raceEnabled: the race detector slows the concurrency test's thousands
// of transactions about tenfold, so under -race it makes fewer edits.
const raceEnabled = true
