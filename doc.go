// Package music holds the platform's domain: the catalog's types, the error
// type with its codes, and the few contracts (blob store, catalog, users,
// playlists, library, search) that more than one package shares. It
// imports no infrastructure; the packages named for a technology
// (sqlstore, filestore, s3, bleve, …) implement these contracts, small
// packages hold the logic several of them share (search, plays,
// playlistorder, recocache), and cmd/musicctl wires them together.
// docs/architecture.md maps every package.
package music
