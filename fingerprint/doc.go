// Package fingerprint computes Chromaprint-compatible audio fingerprints
// (the default algorithm, the one fpcalc and AcoustID use), compares them,
// and keeps an inverted index of them for duplicate detection at ingest and
// for identifying short clips.
//
// The pipeline follows Chromaprint's published description: mono 11025 Hz
// audio is cut into 4096-sample Hamming-windowed frames every 1365 samples,
// the power spectrum from 28 Hz to 3520 Hz is folded into 12 chroma bands,
// smoothed over time, normalised, and 16 Haar-like classifiers over the
// chroma image give one 32-bit sub-fingerprint per frame.
//
// Two front ends feed it. Fingerprinter behaves like Chromaprint's C API
// (16-bit PCM at any rate, its own resampler). FromDecoder behaves like the
// fpcalc tool, which converts audio with libswresample first; it emulates
// that conversion so raw fingerprints agree with `fpcalc -raw`.
//
// Compare aligns two fingerprints and measures their bit-error rate. Index
// (one crash-safe file under a data directory) finds candidates by sampled
// item values; Index.Dedup applies the ingest policy (exact, same
// recording, related, new) and Index.Identify / IdentifyDecoder answer
// "what is this clip?" for the CLI and the HTTP identify endpoint.
package fingerprint
