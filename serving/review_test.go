package serving

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/internal/catalogtest"
)

// TestReviewRoutes: only ops list and decide held tracks; accepting the
// last open review publishes the release, and a decision is final. Ops
// transfer ownership to label accounts only.
func TestReviewRoutes(t *testing.T) {
	ctx := context.Background()
	s, st, listener := newCatalogServerStore(t)
	opsTok := addUser(t, st, "root", music.RoleOps, "GB")
	label, labelTok, err := st.CreateUser(ctx, "acme", music.RoleLabel, "GB")
	if err != nil {
		t.Fatal(err)
	}
	held := catalogtest.Publication(7, 1)
	held.Publish = false
	if err := st.PutRelease(ctx, held); err != nil {
		t.Fatal(err)
	}
	tr := held.Tracks[0]
	if h, err := st.HoldForReview(ctx, held.Release.ID, []music.Review{{ReleaseID: held.Release.ID, TrackID: tr.ID, ISRC: tr.ISRC,
		OwnerID: label.ID, MatchedTrackID: "rel-1-d1t01", Score: 0.99}}); err != nil || !h {
		t.Fatalf("HoldForReview: %v %v", h, err)
	}
	var indexed []string
	s.HandleReviews(st, st, st, st, func(_ context.Context, id string) error {
		indexed = append(indexed, id)
		return nil
	})
	do := func(method, path, token, body string) (int, []byte) {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		return rec.Code, rec.Body.Bytes()
	}
	rid := music.ReviewID(tr.ID, "rel-1-d1t01")
	accept := `{"decision":"accept","note":"licensed compilation"}`
	for _, tc := range []struct {
		name, method, path, token, body string
		want                            int
	}{
		{"list without a token", "GET", "/api/v1/admin/reviews", "", "", 401},
		{"list as a listener", "GET", "/api/v1/admin/reviews", listener, "", 403},
		{"list as a label", "GET", "/api/v1/admin/reviews", labelTok, "", 403},
		{"decide as a label", "POST", "/api/v1/admin/reviews/" + rid, labelTok, accept, 403},
		{"transfer as a listener", "PUT", "/api/v1/admin/owners/release/rel-1", listener, `{"owner_id":"` + label.ID + `"}`, 403},
		{"bad decision", "POST", "/api/v1/admin/reviews/" + rid, opsTok, `{"decision":"maybe"}`, 400},
		{"unknown review", "POST", "/api/v1/admin/reviews/rv-nope", opsTok, accept, 404},
		{"bad status", "GET", "/api/v1/admin/reviews?status=open", opsTok, "", 400},
		{"transfer to a listener account", "PUT", "/api/v1/admin/owners/release/rel-1", opsTok, `{"owner_id":"usr_nobody"}`, 400},
		{"transfer of an unknown release", "PUT", "/api/v1/admin/owners/release/rel-nope", opsTok, `{"owner_id":"` + label.ID + `"}`, 404},
		{"transfer", "PUT", "/api/v1/admin/owners/release/rel-1", opsTok, `{"owner_id":"` + label.ID + `"}`, 200},
	} {
		if code, body := do(tc.method, tc.path, tc.token, tc.body); code != tc.want {
			t.Errorf("%s: %s %s: %d %s, want %d", tc.name, tc.method, tc.path, code, body, tc.want)
		}
	}
	if o, err := st.OwnerOf(ctx, music.OwnISRC, "QZ0000101001"); err != nil || o.OwnerID != label.ID {
		t.Errorf("after the transfer of rel-1 its ISRC is owned by %+v (%v), want %s", o, err, label.ID)
	}

	code, body := do("GET", "/api/v1/admin/reviews?status=pending", opsTok, "")
	var list struct{ Items []ReviewJSON }
	if err := json.Unmarshal(body, &list); code != 200 || err != nil || len(list.Items) != 1 || list.Items[0].ID != rid {
		t.Fatalf("pending reviews: %d %s", code, body)
	}
	if rec := getAs(s, "/api/v1/albums/"+held.Release.ID, listener, ""); rec.Code != 404 {
		t.Fatalf("held release visible before the review: %d", rec.Code)
	}
	code, body = do("POST", "/api/v1/admin/reviews/"+rid, opsTok, accept)
	if code != 200 || !strings.Contains(string(body), `"release_published":true`) {
		t.Fatalf("accept: %d %s", code, body)
	}
	if rec := getAs(s, "/api/v1/albums/"+held.Release.ID, listener, ""); rec.Code != 200 {
		t.Errorf("accepted release not visible: %d %s", rec.Code, rec.Body)
	}
	if len(indexed) != 1 || indexed[0] != held.Release.ID {
		t.Errorf("search indexed %v after the accept", indexed)
	}
	if code, body := do("POST", "/api/v1/admin/reviews/"+rid, opsTok, `{"decision":"reject"}`); code != 409 {
		t.Errorf("second decision: %d %s, want 409", code, body)
	}
}
