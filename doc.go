// Package music holds the platform's domain: the catalog's types, the error
// type with its codes, and the few contracts (blob store, catalog, search)
// that more than one package shares. It imports no infrastructure; the
// packages named for a technology (sqlstore, filestore, s3, bleve, …)
// implement these contracts, and cmd/musicctl wires them together.
package music
