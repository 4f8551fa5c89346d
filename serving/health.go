package serving

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	music "github.com/openmusic/music"
)

// checkTimeout bounds how long /readyz waits for any one dependency.
const checkTimeout = 2 * time.Second

func (s *Server) handleHealth(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// handleReady runs every dependency check concurrently and answers 200
// only when all pass, listing each dependency's state either way; the
// errors only to ops (see Users).
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	details := s.isOps(r)
	type result struct {
		Status string `json:"status"`
		Error  string `json:"error,omitempty"`
	}
	results := make(map[string]result, len(s.checks))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, c := range s.checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(r.Context(), checkTimeout)
			defer cancel()
			res := result{Status: "ok"}
			if err := c.check(ctx); err != nil {
				res = result{Status: "down"}
				if details {
					res.Error = err.Error()
				}
			}
			mu.Lock()
			results[c.name] = res
			mu.Unlock()
		}()
	}
	wg.Wait()
	status, code := "ready", http.StatusOK
	for _, c := range s.checks {
		switch {
		case results[c.name].Status == "ok":
		case !c.degradable:
			status, code = "not_ready", http.StatusServiceUnavailable
		case code == http.StatusOK:
			status = "degraded"
		}
	}
	writeJSON(w, code, map[string]any{"status": status, "dependencies": results})
}

// isOps reports whether r carries an ops account's valid bearer token.
func (s *Server) isOps(r *http.Request) bool {
	token, ok := bearerToken(r)
	if !ok || s.Users == nil {
		return false
	}
	u, err := cachedUsers{s.Users, s}.UserByToken(r.Context(), token)
	return err == nil && u.Role == music.RoleOps
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // URLs keep their & readable
	_ = enc.Encode(v)
}
