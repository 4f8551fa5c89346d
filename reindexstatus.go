package music

import "time"

// ReindexStatus is the state of the last (or running) rebuild of the
// search index, as the admin API reports it (serving answers it, and
// serving/client reads it).
type ReindexStatus struct {
	Running bool `json:"running"`
	// Docs counts documents read from the catalog so far; when done, the
	// documents indexed from it (Skipped were superseded by live writes).
	Docs     int64     `json:"docs"`
	Skipped  int       `json:"skipped,omitempty"`
	Started  time.Time `json:"started,omitzero"`
	Finished time.Time `json:"finished,omitzero"`
	Index    string    `json:"index,omitempty"` // the index now serving
	Error    string    `json:"error,omitempty"`
}
