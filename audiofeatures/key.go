package audiofeatures

import (
	"math"

	music "github.com/openmusic/music"
)

// Krumhansl–Kessler key profiles (probe-tone ratings, 1982), tonic first.
var (
	majorProfile = [12]float64{6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88}
	minorProfile = [12]float64{6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17}
)

// estimateKey returns the tonic (-1 when the chroma is empty), the mode
// (1 major, 0 minor) and the winning Pearson correlation.
func estimateKey(chroma [12]float64) (key, mode int, corr float64) {
	var sum float64
	for _, v := range chroma {
		sum += v
	}
	if sum <= 0 {
		return -1, 0, 0
	}
	best := math.Inf(-1)
	key = -1
	for tonic := range 12 {
		for m, prof := range [2]*[12]float64{&minorProfile, &majorProfile} {
			var rot [12]float64
			for i := range rot {
				rot[i] = prof[(i-tonic+12)%12]
			}
			if c := pearson(chroma, rot); c > best {
				best, key, mode = c, tonic, m
			}
		}
	}
	return key, mode, best
}

func pearson(a, b [12]float64) float64 {
	var ma, mb float64
	for i := range a {
		ma += a[i]
		mb += b[i]
	}
	ma /= 12
	mb /= 12
	var sab, saa, sbb float64
	for i := range a {
		da, db := a[i]-ma, b[i]-mb
		sab += da * db
		saa += da * da
		sbb += db * db
	}
	if saa == 0 || sbb == 0 {
		return 0
	}
	return sab / math.Sqrt(saa*sbb)
}

// keyNames spells pitch classes as music.AudioFeatures.Key numbers them.
var keyNames = [12]string{"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"}

// KeyName spells f's key and mode, e.g. "A minor"; "" when unknown.
func KeyName(f music.AudioFeatures) string {
	if f.Key < 0 || f.Key > 11 {
		return ""
	}
	if f.Mode == 1 {
		return keyNames[f.Key] + " major"
	}
	return keyNames[f.Key] + " minor"
}
