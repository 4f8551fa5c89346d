// Package reco holds the recommendation models and the lists built from
// them. Each model is one file with its own doc:
//
//   - popularity.go: time-decayed stream counts, the cold-start fallback;
//   - als.go: implicit-feedback matrix factorisation (Hu, Koren and
//     Volinsky 2008) solved with conjugate gradient;
//   - cooccur.go: item-item co-occurrence ("listeners of A also played B");
//   - word2vec.go: playlist2vec, skip-gram with negative sampling over
//     playlists as sentences;
//   - content.go: nearest neighbours in audio-feature space;
//   - bandit.go: Thompson sampling over completion rates for exploration
//     slots given to new or little-played tracks.
//
// blend.go mixes their candidates into Discover Weekly, Daily Mix and
// Release Radar (lists.go); eval.go scores any of them offline. The
// package does no I/O of its own: the Recommendations workflow feeds it
// interactions read from the lake and the catalog and stores what it
// returns.
package reco
