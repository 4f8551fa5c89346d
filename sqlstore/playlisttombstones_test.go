package sqlstore

import (
	"context"
	"fmt"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/internal/catalogtest"
)

// TestSecurityTombstonesCompacted: a collaborator adding and removing in
// a loop leaves at most the cap of tombstones (before: one row per
// removal, read by every later edit), the live order is intact, and an
// edit anchored on a recent tombstone still lands where it was.
func TestSecurityTombstonesCompacted(t *testing.T) {
	for name, dsn := range map[string]func(testing.TB) string{"sqlite": catalogtest.SQLiteDSN, "postgres": catalogtest.PostgresDSN} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s, err := Open(ctx, dsn(t))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			s.Now = func() time.Time { clock = clock.Add(time.Second); return clock }
			s.TombstoneCap = 20
			owner, _, err := s.CreateUser(ctx, "owner", music.RoleListener, "GB")
			if err != nil {
				t.Fatal(err)
			}
			p, err := s.CreatePlaylist(ctx, owner.ID, "Churn", "", false)
			if err != nil {
				t.Fatal(err)
			}
			edit := func(e music.PlaylistEdit) *music.PlaylistChange {
				t.Helper()
				c, err := s.EditPlaylist(ctx, p.ID, owner.ID, 0, e)
				if err != nil {
					t.Fatal(err)
				}
				return c
			}
			edit(music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: []string{"L1", "L2", "L3"}})
			var first, last string
			for i := range 100 {
				c := edit(music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: []string{fmt.Sprint("T", i)}, Position: new(1)})
				last = c.Entries[0].ID
				if i == 0 {
					first = last
				}
				edit(music.PlaylistEdit{Kind: music.EditRemove, EntryIDs: []string{last}})
			}
			var rows, tombstones int
			if err := s.queryRow(ctx, s.db, "SELECT COUNT(*), COALESCE(SUM(removed), 0) FROM playlist_entries WHERE playlist_id = ?", p.ID).Scan(&rows, &tombstones); err != nil {
				t.Fatal(err)
			}
			if tombstones > 20 || rows != 3+tombstones {
				t.Fatalf("after 100 add/remove cycles: %d rows, %d tombstones; want at most 20 tombstones and 3 live rows", rows, tombstones)
			}
			// The most recent tombstone is kept: an add after it lands
			// between L1 and L2, where it was.
			c := edit(music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: []string{"N"}, After: last})
			if c.Entries[0].Position != 1 {
				t.Errorf("add after the newest tombstone landed at %d, want 1", c.Entries[0].Position)
			}
			entries, _, err := s.Entries(ctx, p.ID, owner.ID, 0, 10)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range entries {
				got = append(got, e.TrackID)
			}
			if fmt.Sprint(got) != "[L1 N L2 L3]" {
				t.Errorf("live order %v, want [L1 N L2 L3]", got)
			}
			// An anchor on the oldest, compacted entry is a clear 422.
			_, err = s.EditPlaylist(ctx, p.ID, owner.ID, 0, music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: []string{"X"}, After: first})
			if music.ErrorCode(err) != music.EUNPROCESSABLE {
				t.Errorf("add after a compacted entry: %v, want %s", err, music.EUNPROCESSABLE)
			}
		})
	}
}
