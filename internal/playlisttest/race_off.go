//go:build !race

package playlisttest

const raceEnabled = false
