package playlisttest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/internal/race"
	"github.com/openmusic/music/internal/testwait"
	"github.com/openmusic/music/playlistorder"
)

// testCollaborativeExample is the collaborative-editing case on a real store:
// A inserts X after S2 with If-Match v, B removes S2 with If-Match v. The
// second to arrive gets 409, re-reads and retries; either order ends as
// [S1 X S3 S4].
func testCollaborativeExample(t *testing.T, s Store) {
	ctx := context.Background()
	for _, aFirst := range []bool{true, false} {
		t.Run(fmt.Sprintf("A first %v", aFirst), func(t *testing.T) {
			owner := user(t, s, fmt.Sprintf("owner-%v", aFirst))
			collab := user(t, s, fmt.Sprintf("collab-%v", aFirst))
			p, _ := s.CreatePlaylist(ctx, owner, "Collab", "", false)
			if _, err := s.SetCollaborator(ctx, p.ID, owner, 0, collab, true); err != nil {
				t.Fatal(err)
			}
			c, err := s.EditPlaylist(ctx, p.ID, owner, 0, music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: []string{"S1", "S2", "S3", "S4"}})
			if err != nil {
				t.Fatal(err)
			}
			seen := c.Version
			s2 := c.Entries[1].ID
			insert := func() error {
				_, err := s.EditPlaylist(ctx, p.ID, owner, seen, music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: []string{"X"}, After: s2})
				return err
			}
			remove := func() error {
				_, err := s.EditPlaylist(ctx, p.ID, collab, seen, music.PlaylistEdit{Kind: music.EditRemove, EntryIDs: []string{s2}})
				return err
			}
			first, second := insert, remove
			if !aFirst {
				first, second = remove, insert
			}
			if err := first(); err != nil {
				t.Fatal(err)
			}
			err = second()
			cur, ok := music.CurrentVersion(err)
			if !ok || cur != seen+1 {
				t.Fatalf("second edit on the same version: %v, want a conflict at version %d", err, seen+1)
			}
			seen = cur
			if err := second(); err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(trackIDs(t, s, p.ID, owner), " "); got != "S1 X S3 S4" {
				t.Errorf("got [%s], want [S1 X S3 S4]", got)
			}
		})
	}
}

// Concurrency test size: 20 editors, 1000 edits.
// Under -race the edits drop to 200 (see race.Enabled); the full size runs
// in the ordinary test run.
const (
	editors     = 20
	seedEntries = 10
)

func editsWanted() int {
	if race.Enabled {
		return 200
	}
	return 1000
}

// accepted is one edit the store took, with the change it returned.
type accepted struct {
	edit   music.PlaylistEdit
	change *music.PlaylistChange
}

// testConcurrentEditors runs 20 editors making 1,000 random edits with
// If-Match, retrying every 409 on a fresh read (a move whose entry another
// editor removed is refused and replaced by a new edit). Then: versions are
// exactly 2..N+1 with no gap or repeat (no lost update), and replaying the
// accepted edits serially in version order gives the stored playlist.
func testConcurrentEditors(t *testing.T, s Store) {
	ctx := context.Background()
	editsTotal := editsWanted()
	owner := user(t, s, "owner")
	p, _ := s.CreatePlaylist(ctx, owner, "Busy", "", true)
	users := []string{owner}
	for i := 1; i < editors; i++ {
		u := user(t, s, fmt.Sprintf("editor-%02d", i))
		if _, err := s.SetCollaborator(ctx, p.ID, owner, 0, u, true); err != nil {
			t.Fatal(err)
		}
		users = append(users, u)
	}
	var seed []string
	for i := 0; i < seedEntries; i++ {
		seed = append(seed, fmt.Sprintf("seed-%02d", i))
	}
	first, err := s.EditPlaylist(ctx, p.ID, owner, 0, music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: seed})
	if err != nil {
		t.Fatal(err)
	}
	startVersion := first.Version

	var mu sync.Mutex
	var log []accepted
	conflicts, refusedMoves := 0, 0
	var wg sync.WaitGroup
	errc := make(chan error, editors)
	for w := 0; w < editors; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for i, try := 0, 0; i < editsTotal/editors; try++ {
				edit, v, err := randomEdit(ctx, s, p.ID, users[w], rng, fmt.Sprintf("w%02d-%03d-%d", w, i, try))
				if err != nil {
					errc <- err
					return
				}
				for {
					c, err := s.EditPlaylist(ctx, p.ID, users[w], v, edit)
					if removedEntries(err) != nil {
						// Another editor removed the entry this move
						// names; a client tells its user and makes a new
						// edit.
						mu.Lock()
						refusedMoves++
						mu.Unlock()
						break
					}
					if cur, ok := music.CurrentVersion(err); ok {
						mu.Lock()
						conflicts++
						mu.Unlock()
						v = cur // retry the same edit on what is there now
						// after a short random pause, as a client would,
						// so 20 editors do not retry in lockstep.
						time.Sleep(time.Duration(rng.IntN(2000)) * time.Microsecond)
						continue
					}
					if err != nil {
						errc <- fmt.Errorf("editor %d edit %d %+v: %w", w, i, edit, err)
						return
					}
					mu.Lock()
					log = append(log, accepted{edit, c})
					mu.Unlock()
					i++
					break
				}
			}
		}(w)
	}
	testwait.Group(t, &wg, 5*time.Minute, "the concurrent editors")
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
	t.Logf("%d edits accepted, %d conflicts retried, %d moves of removed entries refused", len(log), conflicts, refusedMoves)
	if len(log) != editsTotal {
		t.Fatalf("%d edits accepted, want %d", len(log), editsTotal)
	}
	sort.Slice(log, func(i, j int) bool { return log[i].change.Version < log[j].change.Version })
	for i, a := range log {
		if want := startVersion + 1 + int64(i); a.change.Version != want {
			t.Fatalf("accepted edit %d has version %d, want %d: a version was lost or repeated", i, a.change.Version, want)
		}
	}
	if conflicts == 0 {
		t.Errorf("no conflicts among %d concurrent editors: the test did not exercise If-Match", editors)
	}

	// Serial replay in version order.
	order := make([]playlistorder.Slot, len(first.Entries))
	track := map[string]string{}
	for i, e := range first.Entries {
		order[i] = playlistorder.Slot{ID: e.ID}
		track[e.ID] = e.TrackID
	}
	for _, a := range log {
		var ids []string
		for _, e := range a.change.Entries {
			if a.edit.Kind == music.EditAdd {
				ids = append(ids, e.ID)
				track[e.ID] = e.TrackID
			}
		}
		res, err := playlistorder.Apply(order, a.edit, ids)
		if err != nil {
			t.Fatalf("replay of version %d: %v", a.change.Version, err)
		}
		order = res.Order
	}
	var want []string
	for _, sl := range order {
		if !sl.Removed {
			want = append(want, track[sl.ID])
		}
	}
	got := trackIDs(t, s, p.ID, owner)
	if !slices.Equal(got, want) {
		t.Errorf("stored playlist differs from the serial replay:\n got %v\nwant %v", got, want)
	}
	final, _ := s.Playlist(ctx, p.ID, owner)
	if final.Version != startVersion+int64(editsTotal) || final.TrackCount != len(want) {
		t.Errorf("final version %d, count %d; want %d, %d", final.Version, final.TrackCount, startVersion+int64(editsTotal), len(want))
	}
}

// randomEdit reads the playlist and picks an add, remove or move.
func randomEdit(ctx context.Context, s Store, id, actor string, rng *rand.Rand, tag string) (music.PlaylistEdit, int64, error) {
	es, p, err := s.Entries(ctx, id, actor, 0, music.MaxPlaylistEntries)
	if err != nil {
		return music.PlaylistEdit{}, 0, err
	}
	pick := func() string { return es[rng.IntN(len(es))].ID }
	switch k := rng.IntN(10); {
	case k < 4 || len(es) < 3:
		e := music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: []string{"t-" + tag}}
		if len(es) > 0 && rng.IntN(2) == 0 {
			e.After = pick()
		}
		return e, p.Version, nil
	case k < 7:
		return music.PlaylistEdit{Kind: music.EditRemove, EntryIDs: []string{pick()}}, p.Version, nil
	default:
		// Anchored on an entry ID, which stays valid however the list
		// changes before a retry (a position may not).
		e := music.PlaylistEdit{Kind: music.EditMove, EntryIDs: []string{pick()}}
		if anchor := pick(); anchor != e.EntryIDs[0] {
			e.After = anchor
		} else {
			zero := 0
			e.Position = &zero
		}
		return e, p.Version, nil
	}
}

// testMoveOfRemovedEntry: B removes S2, then A moves S2 (having read it
// before the removal). The move is a conflict naming S2 that carries the
// current version and writes nothing, with If-Match current or absent; a
// stale If-Match is the ordinary stale conflict. A move of a live entry
// after the removed one still works, and removing S2 again still succeeds.
func testMoveOfRemovedEntry(t *testing.T, s Store) {
	ctx := context.Background()
	owner := user(t, s, "owner")
	collab := user(t, s, "collab")
	p, _ := s.CreatePlaylist(ctx, owner, "Moves", "", false)
	if _, err := s.SetCollaborator(ctx, p.ID, owner, 0, collab, true); err != nil {
		t.Fatal(err)
	}
	c, err := s.EditPlaylist(ctx, p.ID, owner, 0, music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: []string{"S1", "S2", "S3"}})
	if err != nil {
		t.Fatal(err)
	}
	s1, s2, s3 := c.Entries[0].ID, c.Entries[1].ID, c.Entries[2].ID
	seen := c.Version
	rm, err := s.EditPlaylist(ctx, p.ID, collab, seen, music.PlaylistEdit{Kind: music.EditRemove, EntryIDs: []string{s2}})
	if err != nil {
		t.Fatal(err)
	}
	zero := 0
	for _, tc := range []struct {
		name      string
		ifVersion int64
		ids       []string
	}{
		{"no If-Match", 0, []string{s2}},
		{"current If-Match", rm.Version, []string{s2}},
		{"with a live entry", 0, []string{s3, s2}},
	} {
		_, err := s.EditPlaylist(ctx, p.ID, owner, tc.ifVersion, music.PlaylistEdit{Kind: music.EditMove, EntryIDs: tc.ids, Position: &zero})
		wantCode(t, "move of a removed entry, "+tc.name, err, music.ECONFLICT)
		if got := removedEntries(err); !slices.Equal(got, []string{s2}) {
			t.Errorf("%s: removed entries %q, want [%s]", tc.name, got, s2)
		}
		if err == nil || !strings.Contains(err.Error(), s2) {
			t.Errorf("%s: message %v does not name the entry %s", tc.name, err, s2)
		}
		if cur, ok := music.CurrentVersion(err); !ok || cur != rm.Version {
			t.Errorf("%s: conflict carries version %d (%v), want %d", tc.name, cur, ok, rm.Version)
		}
	}
	_, err = s.EditPlaylist(ctx, p.ID, owner, seen, music.PlaylistEdit{Kind: music.EditMove, EntryIDs: []string{s2}, Position: &zero})
	if cur, ok := music.CurrentVersion(err); !ok || cur != rm.Version || removedEntries(err) != nil {
		t.Errorf("move with a stale If-Match: %v, want the stale-version conflict at %d", err, rm.Version)
	}
	got, _ := s.Playlist(ctx, p.ID, owner)
	if got.Version != rm.Version || strings.Join(trackIDs(t, s, p.ID, owner), " ") != "S1 S3" {
		t.Fatalf("refused moves wrote: version %d (want %d), tracks %v", got.Version, rm.Version, trackIDs(t, s, p.ID, owner))
	}
	if changes, err := s.Changes(ctx, p.ID, owner, rm.Version, 0); err != nil || len(changes) != 0 {
		t.Errorf("refused moves logged %d changes (%v)", len(changes), err)
	}
	if _, err := s.EditPlaylist(ctx, p.ID, owner, 0, music.PlaylistEdit{Kind: music.EditMove, EntryIDs: []string{s1}, After: s2}); err != nil {
		t.Errorf("move after the removed entry: %v", err)
	}
	if _, err := s.EditPlaylist(ctx, p.ID, collab, 0, music.PlaylistEdit{Kind: music.EditRemove, EntryIDs: []string{s2}}); err != nil {
		t.Errorf("removing it again: %v", err)
	}
}

// removedEntries returns the entries a refused move named that another
// edit removed, or nil when err is not that conflict. A client that
// retries on the current version checks this first: that move can never
// succeed.
func removedEntries(err error) []string {
	var r *music.RemovedEntryError
	if errors.As(err, &r) {
		return r.EntryIDs
	}
	return nil
}
