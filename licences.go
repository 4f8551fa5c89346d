package music

import "context"

// Licences tells which search results a listener may see: search indexes
// hold every published release, and licences (deals per territory and
// time) are checked against the catalog, the record of truth, for each
// page of results. Implementation: sqlstore.
type Licences interface {
	// VisibleIDs returns the subset of ids of kind t that v may see:
	// tracks and albums of published releases with a deal in force in
	// v's territory at v.At, artists credited on such a release.
	VisibleIDs(ctx context.Context, t DocType, ids []string, v Visibility) (map[string]bool, error)
}
