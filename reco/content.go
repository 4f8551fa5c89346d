package reco

import (
	"math"

	music "github.com/openmusic/music"
)

// Content model: tracks that sound alike are neighbours. Each track's
// audio features become a vector (tempo on a log scale, so 60 and 120 BPM
// are as far apart as 120 and 240; key on the circle of fifths, so C is
// near G and F; mode, energy, danceability, brightness, centroid on a log
// scale, onset rate); every dimension is standardised over the catalog
// and cosine similarity ranks neighbours. Tracks without features get a
// zero vector and no neighbours.

// contentDims is the length of a content vector.
const contentDims = 10

// ContentVectors builds the standardised, normalised feature vectors.
func ContentVectors(features []*music.AudioFeatures) *Vectors {
	n := len(features)
	raw := make([]float64, n*contentDims)
	have := make([]bool, n)
	for i, f := range features {
		if f == nil || f.Tempo <= 0 {
			continue
		}
		have[i] = true
		v := raw[i*contentDims : (i+1)*contentDims]
		v[0] = math.Log2(f.Tempo)
		if f.Key >= 0 {
			angle := 2 * math.Pi * float64((f.Key*7)%12) / 12 // circle of fifths
			v[1], v[2] = 0.5*math.Cos(angle), 0.5*math.Sin(angle)
		}
		v[3] = float64(f.Mode)
		v[4] = f.Energy
		v[5] = f.Danceability
		v[6] = f.Brightness
		v[7] = math.Log2(1 + f.SpectralCentroid)
		v[8] = f.OnsetRate
		v[9] = f.Loudness / 10
	}
	for d := range contentDims {
		var sum, sq, cnt float64
		for i := range n {
			if have[i] {
				sum += raw[i*contentDims+d]
				cnt++
			}
		}
		if cnt == 0 {
			continue
		}
		mean := sum / cnt
		for i := range n {
			if have[i] {
				x := raw[i*contentDims+d] - mean
				sq += x * x
			}
		}
		sd := math.Sqrt(sq / cnt)
		for i := range n {
			if have[i] {
				x := raw[i*contentDims+d] - mean
				if sd > 0 {
					x /= sd
				}
				raw[i*contentDims+d] = x
			}
		}
	}
	data := make([]float32, len(raw))
	for i, x := range raw {
		data[i] = float32(x)
	}
	return NewVectors(contentDims, data)
}
