//go:build race

package screen

// raceEnabled is set when the race detector is on.
const raceEnabled = true
