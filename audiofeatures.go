package music

// AudioFeatures describe how a recording sounds, measured from its audio
// at ingest (package audiofeatures) in the same decoding pass as loudness.
// The content-based recommender, Connect's smart shuffle and the API read
// them; tracks.audio_features stores them as JSON.
type AudioFeatures struct {
	// Tempo is the dominant beat rate in beats per minute (0: no beat found).
	Tempo float64 `json:"tempo"`
	// Key is the tonic's pitch class, 0 = C … 11 = B; -1 when no key stands out.
	Key int `json:"key"`
	// Mode is 1 for major, 0 for minor.
	Mode int `json:"mode"`
	// KeyConfidence is the correlation of the track's chroma with the
	// chosen key's profile (-1…1).
	KeyConfidence float64 `json:"key_confidence"`
	// Energy (0…1) rises with loudness and with how busy the spectrum is.
	Energy float64 `json:"energy"`
	// Loudness is the integrated loudness in LUFS (EBU R128).
	Loudness float64 `json:"loudness"`
	// SpectralCentroid is the power-weighted mean frequency in Hz.
	SpectralCentroid float64 `json:"spectral_centroid"`
	// Brightness (0…1) is the share of power above 1.5 kHz.
	Brightness float64 `json:"brightness"`
	// OnsetRate is note onsets per second.
	OnsetRate float64 `json:"onset_rate"`
	// BeatStrength (0…1) is how strongly the onsets repeat at the tempo.
	BeatStrength float64 `json:"beat_strength"`
	// Danceability (0…1) is beat strength weighted towards walking-to-
	// running tempos (90–140 BPM count fully).
	Danceability float64 `json:"danceability"`
	// Version names the algorithm that produced the figures, so a changed
	// algorithm can be backfilled.
	Version int `json:"version"`
}
