package offline

// RefusedPlay is a queued offline play the server refused as invalid,
// typically one made longer ago than the royalty count accepts
// (lake.MaxReportAge). It is dropped from the queue, so the sync names it
// and the server's reason rather than losing it silently.
type RefusedPlay struct {
	Play
	Reason string
}
