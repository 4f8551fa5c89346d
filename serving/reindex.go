package serving

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	music "github.com/openmusic/music"
)

// ReindexStatus is the state of the last (or running) rebuild of the
// search index, as the admin API reports it.
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

// Reindexer rebuilds a search index from its source in the background,
// one rebuild at a time, while the index keeps serving. It lives in the
// process that holds the index: an embedded Bleve index admits only one
// process, so ops trigger it over HTTP.
type Reindexer struct {
	Index music.SearchIndex
	// Source returns the documents to rebuild from (the whole catalog).
	Source func(ctx context.Context) music.DocSource
	// Now stamps Started and Finished; time.Now when nil.
	Now func() time.Time

	mu     sync.Mutex
	status ReindexStatus
	docs   atomic.Int64
	done   chan struct{}
}

// Start begins a rebuild and returns at once. The rebuild outlives the
// caller's request but keeps its values; a rebuild already running is
// ECONFLICT.
func (rx *Reindexer) Start(ctx context.Context) (ReindexStatus, error) {
	rx.mu.Lock()
	defer rx.mu.Unlock()
	if rx.status.Running {
		return rx.status, music.Errorf(music.ECONFLICT, "a reindex is already running since %s", rx.status.Started.Format(time.RFC3339))
	}
	rx.docs.Store(0)
	rx.status = ReindexStatus{Running: true, Started: rx.now()}
	rx.done = make(chan struct{})
	ctx = context.WithoutCancel(ctx)
	go func(done chan struct{}) {
		defer close(done)
		st, err := rx.Index.Reindex(ctx, music.CountingSource(rx.Source(ctx), &rx.docs))
		rx.mu.Lock()
		defer rx.mu.Unlock()
		rx.status.Running, rx.status.Finished = false, rx.now()
		if err != nil {
			rx.status.Error = music.ErrorMessage(err)
			rx.status.Docs = rx.docs.Load()
			return
		}
		rx.status.Docs, rx.status.Skipped, rx.status.Index = int64(st.Docs), st.Skipped, st.Index
	}(rx.done)
	return rx.status, nil
}

// Status reports the running or last rebuild.
func (rx *Reindexer) Status() ReindexStatus {
	rx.mu.Lock()
	defer rx.mu.Unlock()
	s := rx.status
	if s.Running {
		s.Docs = rx.docs.Load()
	}
	return s
}

// Wait blocks until the running rebuild, if any, ends or ctx is done.
func (rx *Reindexer) Wait(ctx context.Context) error {
	rx.mu.Lock()
	done := rx.done
	rx.mu.Unlock()
	if done == nil {
		return nil
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (rx *Reindexer) now() time.Time {
	if rx.Now != nil {
		return rx.Now()
	}
	return time.Now()
}

// HandleReindex routes the admin API that rebuilds the search index
// without downtime, for ops users only (bearer tokens from users):
//
//	POST /api/v1/admin/reindex   start; 202 with the status, 409 if running
//	GET  /api/v1/admin/reindex   the running or last rebuild's status
func (s *Server) HandleReindex(users music.UserStore, rx *Reindexer) {
	ops := []string{music.RoleOps}
	s.Handle("POST /api/v1/admin/reindex", s.authed(users, ops, func(w http.ResponseWriter, r *http.Request) {
		st, err := rx.Start(r.Context())
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusAccepted, st)
	}))
	s.Handle("GET /api/v1/admin/reindex", s.authed(users, ops, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, rx.Status())
	}))
}
