package client

import (
	"context"
	"net/http"
	"net/url"

	music "github.com/openmusic/music"
)

// RemoveShow takes a podcast show down (ops): DELETE
// /api/v1/podcasts/{id}. Taking down a show already down succeeds.
func (a *Admin) RemoveShow(ctx context.Context, showID string) error {
	if showID == "" {
		return music.Errorf(music.EINVALID, "show ID: empty")
	}
	return a.call(ctx, http.MethodDelete, "/api/v1/podcasts/"+url.PathEscape(showID), nil)
}

// RestoreShow undoes a show's takedown (ops): POST
// /api/v1/podcasts/{id}/restore. Restoring a show that is up succeeds.
func (a *Admin) RestoreShow(ctx context.Context, showID string) error {
	if showID == "" {
		return music.Errorf(music.EINVALID, "show ID: empty")
	}
	return a.call(ctx, http.MethodPost, "/api/v1/podcasts/"+url.PathEscape(showID)+"/restore", nil)
}
