package serving

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/rankings"
)

// ChartStore serves the stored daily charts (sqlstore.Store).
type ChartStore interface {
	Chart(ctx context.Context, day, category string, limit int) (rankings.Chart, error)
}

// Chart request limits.
const (
	defaultChartLimit = 10
	maxChartLimit     = 200
)

// HandleRankings routes the chart history, computed daily by the Rankings
// workflow:
//
//	GET /api/v1/rankings/history?category=pop&date=2026-03-01&limit=10
//
// category is "overall" (the default) or a genre, case-insensitive; date
// is required (YYYY-MM-DD, UTC); limit is 1–200 (default 10). A day or
// category without a chart is 404.
func (s *Server) HandleRankings(charts ChartStore) {
	s.Handle("GET /api/v1/rankings/history", s.RateLimited(LimitAPI, nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		category := strings.ToLower(strings.TrimSpace(q.Get("category")))
		if category == "" {
			category = rankings.Overall
		}
		date := q.Get("date")
		if _, err := time.Parse(time.DateOnly, date); err != nil {
			writeError(w, music.Errorf(music.EINVALID, "query parameter date: want YYYY-MM-DD, got %q", date))
			return
		}
		limit := defaultChartLimit
		if v := q.Get("limit"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > maxChartLimit {
				writeError(w, music.Errorf(music.EINVALID, "query parameter limit: want 1 to %d, got %q", maxChartLimit, v))
				return
			}
			limit = n
		}
		c, err := charts.Chart(r.Context(), date, category, limit)
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, c)
	})))
}
