// Package plays holds the types the playback pipeline's stages share: the
// play event a player reports (serving → natslog → lake), and the rows the
// batches make of them (royalty's daily counts, ledger and money, the
// rankings' charts) that the catalog database stores. It depends only on
// the root package, so a store or a log can speak these types without
// linking the Parquet lake or the batches.
package plays
