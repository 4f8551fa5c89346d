// Package search is the search logic both engines share: how user input
// becomes a bounded query (ParseParams), which words match how (the
// fields, fuzziness and prefix rules), the ranking formula (RankFactor),
// the order of a search's steps (Steps), and how the catalog becomes
// search documents (ReleaseDocs, CatalogDocs, IndexRelease) and what an
// engine accepts (CheckDoc, CheckDelete). The contract
// itself, music.SearchIndex, and its result types are in the root
// package; bleve/ and elastic/ implement it with what is here, so the
// two engines rank the same catalog the same way.
package search
