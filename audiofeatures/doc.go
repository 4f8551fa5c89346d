// Package audiofeatures measures how a recording sounds: tempo, key and
// mode, energy, spectral centroid and brightness, onset rate and a
// beat-strength (danceability-like) figure. An Analyzer takes decoded PCM
// as it streams past, so ingest computes features in the same decoding
// pass as loudness and the ladder (encode.EncodeTrack), in memory bounded
// by the longest track it keeps an onset envelope for (MaxEnvelope).
//
// Method, in short. The mono mix is decimated to about 11 kHz. A short
// transform (512 points, hop 128, ~86 frames/s) gives the onset envelope
// (spectral flux of log magnitudes), the centroid and the brightness. A
// long transform (4096 points, hop 2048) folds 55–2000 Hz into a 12-bin
// chroma. Tempo is the peak of the onset envelope's autocorrelation under
// a log-normal prior centred on 120 BPM, refined by parabolic
// interpolation; key is the best correlation of the summed chroma with
// the Krumhansl–Kessler major and minor profiles in all 24 rotations.
package audiofeatures

// Version is stored with every measurement (music.AudioFeatures.Version).
const Version = 1
