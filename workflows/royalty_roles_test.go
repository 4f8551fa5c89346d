package workflows

import (
	"context"
	"fmt"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/internal/catalogtest"
	"github.com/openmusic/music/lake"
	"github.com/openmusic/music/plays"
	"github.com/openmusic/music/sqlstore"
)

// TestRoyaltyPaysOnlyListeners: plays reported with a label's or an ops
// account's token are in the lake, but only listeners' plays count for
// royalties.
func TestRoyaltyPaysOnlyListeners(t *testing.T) {
	ctx := context.Background()
	blobs, err := filestore.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlstore.Open(ctx, catalogtest.SQLiteDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.SetPool(ctx, "2026-03", "GB", 1_000_000); err != nil {
		t.Fatal(err)
	}
	var events []plays.Event
	for _, role := range []string{music.RoleListener, music.RoleLabel, music.RoleOps} {
		u, _, err := st.CreateUser(ctx, "plays-"+role, role, "GB")
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			at := march.Add(time.Duration(24*(i+1)) * time.Hour)
			events = append(events, plays.Event{
				EventID: fmt.Sprintf("%s-%d", role, i), UserID: u.ID, TrackID: fmt.Sprintf("trk-%d", i),
				SessionID: "s-" + role, DeviceID: "d", PlayedAt: at.UnixMilli(), ReceivedAt: at.Add(time.Minute).UnixMilli(),
				DurationListenedMs: 60_000, Completed: true, Quality: "160kbps", Territory: "GB",
				UserCreatedAt: march.AddDate(-1, 0, 0).UnixMilli(),
			})
		}
	}
	if _, err := lake.WriteBatch(ctx, blobs, lake.SeqRange{First: 1, Last: uint64(len(events))}, events, lake.WriterOptions{}); err != nil {
		t.Fatal(err)
	}
	putContracts(t, blobs)
	a := &Activities{Blobs: blobs, Catalog: st, Users: st, Batches: st, CountWorkers: 2}
	res, err := runRoyaltyMonth(t, a, RoyaltyMonthInput{Month: "2026-03", Buckets: 8, Parts: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.Rows != 9 || res.Stats.Counted != 3 || res.Stats.Listeners != 1 {
		t.Errorf("stats %+v: want all 9 rows read, and only the listener's 3 streams counted", res.Stats)
	}
}
