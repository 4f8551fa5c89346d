package redis_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/internal/idempotencytest"
	"github.com/openmusic/music/redis"
	"github.com/openmusic/music/serving"
	"github.com/openmusic/music/sqlstore"
)

func TestIdempotencyConformance(t *testing.T) {
	c := openRedis(t)
	idempotencytest.Run(t, func(t *testing.T, budget int) music.IdempotencyStore {
		return redis.NewIdempotency(c, prefix(t), budget)
	})
}

// twoServers are two serving processes on one catalog, with their
// idempotency stores made by store; token is a listener's.
func twoServers(t *testing.T, store func() music.IdempotencyStore) (servers [2]*serving.Server, token string) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, "sqlite://"+filepath.Join(t.TempDir(), "catalog.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, token, err = db.CreateUser(ctx, "alice", music.RoleListener, "GB"); err != nil {
		t.Fatal(err)
	}
	for i := range servers {
		servers[i] = serving.New()
		servers[i].HandlePlaylists(db, db, db)
		if store != nil {
			servers[i].SetIdempotencyStore(store())
		}
	}
	return servers, token
}

// createPlaylist POSTs one playlist with an Idempotency-Key and returns
// its ID and whether the answer was a replay.
func createPlaylist(t *testing.T, s *serving.Server, token, key string) (id string, replayed bool) {
	t.Helper()
	req := httptest.NewRequest("POST", "/api/v1/playlists", strings.NewReader(`{"name":"Road trip"}`))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(serving.IdempotencyHeader, key)
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	var p struct{ ID string }
	if rec.Code != http.StatusCreated || json.Unmarshal(rec.Body.Bytes(), &p) != nil {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	return p.ID, rec.Header().Get("Idempotent-Replayed") == "true"
}

// TestSecurityRetryThroughAnotherServer: a POST retried through another
// serving process returns the first answer instead of acting twice when
// the processes share Redis, and (the control) acts twice when each keeps
// its own answers.
func TestSecurityRetryThroughAnotherServer(t *testing.T) {
	c := openRedis(t)
	p := prefix(t)
	shared, token := twoServers(t, func() music.IdempotencyStore {
		return redis.NewIdempotency(c, p, serving.DefaultIdempotencyBudget)
	})
	first, _ := createPlaylist(t, shared[0], token, "retry-1")
	again, replayed := createPlaylist(t, shared[1], token, "retry-1")
	if again != first || !replayed {
		t.Errorf("shared store: retry through the other server made %s after %s (replayed %v), want the first answer", again, first, replayed)
	}

	apart, token := twoServers(t, nil)
	first, _ = createPlaylist(t, apart[0], token, "retry-1")
	again, replayed = createPlaylist(t, apart[1], token, "retry-1")
	if again == first || replayed {
		t.Errorf("control: per-process stores replayed %s across servers; the test cannot tell shared from local", again)
	}
}

// TestIdempotencyFallsBackWhenRedisIsDown: with Redis gone, keys are kept
// per process instead of failing the request.
func TestIdempotencyFallsBackWhenRedisIsDown(t *testing.T) {
	c := openRedis(t)
	shared := redis.NewIdempotency(c, prefix(t), serving.DefaultIdempotencyBudget)
	c.Close() // every call now fails
	if _, err := shared.Claim(context.Background(), "u", "k", [32]byte{}, 0); music.ErrorCode(err) != music.EUNAVAILABLE {
		t.Fatalf("claim on a closed client: %v, want %s", err, music.EUNAVAILABLE)
	}
	servers, token := twoServers(t, func() music.IdempotencyStore {
		return serving.FallbackIdempotency{Shared: shared, Local: serving.NewMemoryIdempotency(0, nil)}
	})
	first, _ := createPlaylist(t, servers[0], token, "down-1")
	again, replayed := createPlaylist(t, servers[0], token, "down-1")
	if again != first || !replayed {
		t.Errorf("with Redis down, a retry to the same server made %s after %s (replayed %v)", again, first, replayed)
	}
}
