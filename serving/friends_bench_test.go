package serving

import (
	"context"
	"database/sql"
	"fmt"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/friends"
	"github.com/openmusic/music/plays"
)

// addFollowers makes n listener accounts that follow userID, in one
// transaction of plain inserts (creating them one by one would take
// minutes at 100,000), and returns their IDs.
func addFollowers(b *testing.B, e *apiEnv, userID string, n int) []string {
	b.Helper()
	ctx := context.Background()
	tx, err := e.st.DB().BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]string, n)
	user, err := tx.Prepare(e.st.Rebind("INSERT INTO users (id, name, role, country, created_at) VALUES (?, ?, 'listener', 'GB', 0)"))
	if err != nil {
		b.Fatal(err)
	}
	follow, err := tx.Prepare(e.st.Rebind("INSERT INTO follows (user_id, kind, target_id, followed_at) VALUES (?, 'user', ?, 0)"))
	if err != nil {
		b.Fatal(err)
	}
	for i := range ids {
		ids[i] = fmt.Sprintf("usr_bench%06d", i)
		if _, err := user.Exec(ids[i], ids[i]); err != nil {
			b.Fatal(err)
		}
		if _, err := follow.Exec(ids[i], userID); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := tx.Exec(e.st.Rebind("INSERT INTO follower_counts (kind, target_id, followers) VALUES ('user', ?, ?)"), userID, n); err != nil {
		b.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return ids
}

// BenchmarkPlayFanOut is the cost of one play by a user with 1 or
// 100,000 followers (SQLite catalog, friend activity in memory):
//
//   - read: the play as the feed applies it from the log (settings read,
//     one entry kept) with no live stream open, the design here: the
//     follower count does not appear in the cost;
//   - live: the same with every follower connected to a live stream
//     (each gets the event on its channel; drained between plays, not
//     timed); streams_MB is the hub's memory for them;
//   - write: the reference design, fan-out on write: one row per
//     follower into a feed table (one INSERT … SELECT).
func BenchmarkPlayFanOut(b *testing.B) {
	for _, n := range []int{1, 100_000} {
		e := newAPIEnv(b)
		addFollowers(b, e, e.aliceID, n)
		feed := &friends.Feed{Store: friends.NewMemory(), Settings: e.st, Hub: friends.NewHub()}
		ctx := context.Background()
		at := time.Now()
		play := func(i int) plays.Event {
			return plays.Event{UserID: e.aliceID, TrackID: "rel-1-d1t01", PlayedAt: at.Add(time.Duration(i) * time.Millisecond).UnixMilli()}
		}
		b.Run(fmt.Sprintf("followers=%d/read", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if err := feed.Apply(ctx, play(i)); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("followers=%d/live", n), func(b *testing.B) {
			benchLive(b, e, feed, n, play)
		})
		b.Run(fmt.Sprintf("followers=%d/write", n), func(b *testing.B) {
			benchFanOutOnWrite(b, e, e.aliceID)
		})
	}
}

// benchLive times plays with n live streams open, one per follower.
func benchLive(b *testing.B, e *apiEnv, feed *friends.Feed, n int, play func(int) plays.Event) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	streams := make([]*friends.Stream, n)
	for i := range streams {
		var err error
		if streams[i], err = feed.Hub.Subscribe(fmt.Sprintf("usr_bench%06d", i), []string{e.aliceID}); err != nil {
			b.Fatal(err)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	defer func() {
		for _, s := range streams {
			s.Close()
		}
	}()
	b.ReportAllocs()
	ctx := context.Background()
	for i := 0; b.Loop(); i++ {
		if err := feed.Apply(ctx, play(1_000_000+i)); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		for _, s := range streams {
			<-s.Events
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "streams_MB")
}

// benchFanOutOnWrite times the reference design: a play copied into
// every follower's feed, one row each.
func benchFanOutOnWrite(b *testing.B, e *apiEnv, userID string) {
	db := e.st.DB()
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS bench_feed (viewer_id TEXT NOT NULL, player_id TEXT NOT NULL,
		track_id TEXT NOT NULL, played_at BIGINT NOT NULL, PRIMARY KEY (viewer_id, player_id))`); err != nil {
		b.Fatal(err)
	}
	var ins *sql.Stmt
	ins, err := db.Prepare(e.st.Rebind(`INSERT INTO bench_feed (viewer_id, player_id, track_id, played_at)
		SELECT user_id, ?, ?, ? FROM follows WHERE kind = 'user' AND target_id = ?
		ON CONFLICT (viewer_id, player_id) DO UPDATE SET track_id = excluded.track_id, played_at = excluded.played_at`))
	if err != nil {
		b.Fatal(err)
	}
	defer ins.Close()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := ins.Exec(userID, "rel-1-d1t01", i, userID); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFriendActivityRead is the other half of fan-out on read: one
// GET /api/v1/me/friends/activity by a viewer who follows n users who
// all played (the list shows the newest 50).
func BenchmarkFriendActivityRead(b *testing.B) {
	for _, n := range []int{1, 100, 1000} {
		b.Run(fmt.Sprintf("following=%d", n), func(b *testing.B) {
			e := &socialEnv{apiEnv: newAPIEnv(b)}
			soc := e.social()
			e.s.HandleSocial(soc)
			mem := soc.Friends.Store.(*friends.Memory)
			players := addFollowers(b, e.apiEnv, "nobody", n) // n listeners
			ctx := context.Background()
			ids := make([]string, 0, n)
			for i, p := range players {
				ids = append(ids, p)
				if err := mem.Record(ctx, music.Activity{UserID: p, TrackID: "rel-1-d1t01", PlayedAt: catalogNow.Add(-time.Duration(i) * time.Second)}); err != nil {
					b.Fatal(err)
				}
			}
			for start := 0; start < len(ids); start += music.MaxFollowIDs {
				if err := e.st.Follow(ctx, e.aliceID, music.FollowUser, ids[start:min(start+music.MaxFollowIDs, len(ids))]); err != nil {
					b.Fatal(err)
				}
			}
			h := e.s.Handler()
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest("GET", "/api/v1/me/friends/activity", nil)
				req.Header.Set("Authorization", "Bearer "+e.alice)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatalf("%d %s", rec.Code, rec.Body)
				}
			}
		})
	}
}
