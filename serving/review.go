package serving

import (
	"context"
	"net/http"
	"time"

	music "github.com/openmusic/music"
)

// ops may use the admin routes.
var ops = []string{music.RoleOps}

// ReviewJSON is a held track as the admin API shows it.
type ReviewJSON struct {
	ID             string    `json:"id"`
	ReleaseID      string    `json:"release_id"`
	TrackID        string    `json:"track_id"`
	ISRC           string    `json:"isrc"`
	OwnerID        string    `json:"owner_id"`
	MatchedTrackID string    `json:"matched_track_id"`
	MatchedOwnerID string    `json:"matched_owner_id"`
	Score          float64   `json:"score"`
	Status         string    `json:"status"`
	CreatedAt      time.Time `json:"created_at"`
	DecidedAt      time.Time `json:"decided_at,omitzero"`
	DecidedBy      string    `json:"decided_by,omitempty"`
	Note           string    `json:"note,omitempty"`
}

func newReviewJSON(r music.Review) ReviewJSON {
	return ReviewJSON{ID: r.ID, ReleaseID: r.ReleaseID, TrackID: r.TrackID, ISRC: r.ISRC, OwnerID: r.OwnerID,
		MatchedTrackID: r.MatchedTrackID, MatchedOwnerID: r.MatchedOwnerID, Score: r.Score, Status: r.Status,
		CreatedAt: r.CreatedAt, DecidedAt: r.DecidedAt, DecidedBy: r.DecidedBy, Note: r.Note}
}

// decisionJSON is the body of POST /api/v1/admin/reviews/{id}.
type decisionJSON struct {
	Decision string `json:"decision"` // accept or reject
	Note     string `json:"note"`
}

// ownerJSON is the body of PUT /api/v1/admin/owners/{kind}/{id}.
type ownerJSON struct {
	OwnerID string `json:"owner_id"`
}

// maxReviewNote bounds the note ops leave on a decision.
const maxReviewNote = 2000

// HandleReviews routes the ops API behind `musicctl review` and
// `musicctl owners`:
//
//	GET  /api/v1/admin/reviews?status=pending&limit=   held tracks, oldest first
//	POST /api/v1/admin/reviews/{id}  {"decision":"accept"|"reject","note"}
//	PUT  /api/v1/admin/owners/{kind}/{id}  {"owner_id"}   kind: release or isrc
//
// Accepting the last open review of a release publishes it and brings it
// into search through index (nil: search catches up on the next reindex).
func (s *Server) HandleReviews(cat music.Catalog, reviews music.Reviews, owners music.Ownership, users music.UserStore,
	index func(ctx context.Context, releaseID string) error) {
	s.Handle("GET /api/v1/admin/reviews", s.authed(users, ops, func(w http.ResponseWriter, r *http.Request) {
		_, limit, err := paging(r)
		if err != nil {
			writeError(w, err)
			return
		}
		rs, err := reviews.ListReviews(r.Context(), r.URL.Query().Get("status"), limit)
		if err != nil {
			writeError(w, err)
			return
		}
		out := make([]ReviewJSON, 0, len(rs))
		for _, rv := range rs {
			out = append(out, newReviewJSON(rv))
		}
		writeJSON(w, http.StatusOK, map[string]any{"items": out})
	}))
	s.Handle("POST /api/v1/admin/reviews/{id}", s.authed(users, ops, func(w http.ResponseWriter, r *http.Request) {
		var d decisionJSON
		if err := decodeJSON(w, r, &d); err != nil {
			writeError(w, err)
			return
		}
		if d.Decision != "accept" && d.Decision != "reject" {
			writeError(w, music.Errorf(music.EINVALID, "field decision: %q is not accept or reject", d.Decision))
			return
		}
		if len(d.Note) > maxReviewNote {
			writeError(w, music.Errorf(music.EINVALID, "field note: longer than %d bytes", maxReviewNote))
			return
		}
		ctx := r.Context()
		rv, publishable, err := reviews.DecideReview(ctx, r.PathValue("id"), d.Decision == "accept", UserFrom(ctx).ID, d.Note)
		if err != nil {
			writeError(w, err)
			return
		}
		published := false
		if publishable && rv.Status == music.ReviewAccepted {
			if err := cat.PublishRelease(ctx, rv.ReleaseID); err != nil {
				writeError(w, err)
				return
			}
			published = true
			if index != nil {
				if err := index(ctx, rv.ReleaseID); err != nil {
					writeError(w, err)
					return
				}
			}
		}
		writeJSON(w, http.StatusOK, map[string]any{"review": newReviewJSON(rv), "release_published": published})
	}))
	s.Handle("PUT /api/v1/admin/owners/{kind}/{id}", s.authed(users, ops, func(w http.ResponseWriter, r *http.Request) {
		var o ownerJSON
		if err := decodeJSON(w, r, &o); err != nil {
			writeError(w, err)
			return
		}
		kind, id := r.PathValue("kind"), r.PathValue("id")
		if err := owners.TransferOwnership(r.Context(), kind, id, o.OwnerID); err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"kind": kind, "id": id, "owner_id": o.OwnerID})
	}))
}
