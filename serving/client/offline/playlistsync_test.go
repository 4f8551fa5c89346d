package offline_test

import (
	"context"
	"maps"
	"slices"
	"testing"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/serving/client/offline"
)

// heldByID is what the store holds, by track or episode ID.
func heldByID(s *offline.Store) map[string]offline.Held {
	out := map[string]offline.Held{}
	for _, h := range s.Held() {
		out[h.ID] = h
	}
	return out
}

// sync syncs the world's playlist and returns what it did and the
// manifests it asked for.
func (w *world) sync(t *testing.T, s *offline.Store) (*offline.Report, []string) {
	t.Helper()
	n := w.reqs.len()
	rep, err := s.SyncPlaylist(context.Background(), w.api(), w.playlist, "160")
	if err != nil {
		t.Fatalf("sync: %v (%+v)", err, rep)
	}
	return rep, w.reqs.manifests(n)
}

// entryIDs are the playlist's live entry IDs, in order.
func (w *world) entryIDs(t *testing.T) []string {
	t.Helper()
	es, _, err := w.st.Entries(context.Background(), w.playlist, w.userID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}

// TestOfflinePlaylistDeltaSync: after the first sync (the whole
// playlist), a sync reads the changes since the version held, asks for a
// manifest of the added track only, deletes the removed one, and leaves
// the rest as it was, a track added a second time and removed once
// included.
func TestOfflinePlaylistDeltaSync(t *testing.T) {
	w := newWorld(t) // the playlist: tracks 0 and 2
	ctx := context.Background()
	store := w.enrolledStore(t)
	rep, m := w.sync(t, store)
	if len(rep.Downloaded) != 2 || !slices.Equal(m, []string{"playlist " + w.playlist}) {
		t.Fatalf("first sync: %+v, manifests %q; want both tracks from the whole playlist's", rep, m)
	}
	kept := heldByID(store)[w.tracks[2]]

	// Online: track 1 in, track 0 out, and track 2 added again and its
	// first entry removed, so it stays in the playlist.
	first := w.entryIDs(t)
	w.edit(t, music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: []string{w.tracks[1], w.tracks[2]}})
	w.edit(t, music.PlaylistEdit{Kind: music.EditRemove, EntryIDs: first})
	rep, m = w.sync(t, store)
	if !slices.Equal(m, []string{"tracks " + w.tracks[1]}) {
		t.Fatalf("second sync asked for manifests %q; want one of the added track only", m)
	}
	if !slices.Equal(rep.Downloaded, []string{w.tracks[1]}) || !slices.Equal(rep.Deleted, []string{w.tracks[0]}) {
		t.Fatalf("second sync: %+v; want %s downloaded and %s deleted", rep, w.tracks[1], w.tracks[0])
	}
	held := heldByID(store)
	if len(held) != 2 || held[w.tracks[1]].ID == "" {
		t.Fatalf("held %v after the second sync", slices.Collect(maps.Keys(held)))
	}
	if h := held[w.tracks[2]]; !h.DownloadedAt.Equal(kept.DownloadedAt) || h.ObjectKey != kept.ObjectKey || h.WrappedKey == nil || string(h.WrappedKey) != string(kept.WrappedKey) {
		t.Fatalf("the untouched track changed: %+v, was %+v", h, kept)
	}
	if _, err := store.Decode(w.tracks[1]); err != nil {
		t.Fatalf("the added track: %v", err)
	}
	grants, err := w.st.OfflineDownloads(ctx, w.userID, store.Device().DeviceID)
	if err != nil || len(grants) != 2 || slices.ContainsFunc(grants, func(g music.OfflineDownload) bool { return g.ID == w.tracks[0] }) {
		t.Fatalf("the server holds %+v, %v; want tracks 1 and 2", grants, err)
	}

	// Nothing changed, or only the name: no manifest at all.
	if rep, m = w.sync(t, store); len(m) != 0 || len(rep.Downloaded)+len(rep.Deleted) != 0 {
		t.Fatalf("a sync with nothing new: %+v, manifests %q", rep, m)
	}
	name := "Road trip 2"
	if _, err := w.st.UpdatePlaylist(ctx, w.playlist, w.userID, 0, music.PlaylistUpdate{Name: &name}); err != nil {
		t.Fatal(err)
	}
	if rep, m = w.sync(t, store); len(m) != 0 || len(rep.Downloaded)+len(rep.Deleted) != 0 {
		t.Fatalf("a sync after a rename: %+v, manifests %q", rep, m)
	}
}

// TestOfflinePlaylistDeltaSyncResumes: a sync that fails after it
// downloaded the added track and before it recorded the version resumes:
// the next one asks for no manifest and finishes the removal.
func TestOfflinePlaylistDeltaSyncResumes(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	dir := t.TempDir()
	store := w.enrolledStoreAt(t, dir)
	w.sync(t, store)
	w.edit(t, music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: []string{w.tracks[1]}})
	w.edit(t, music.PlaylistEdit{Kind: music.EditRemove, EntryIDs: w.entryIDs(t)[:1]}) // track 0
	w.reqs.fail = func(method, path string) bool { return method == "DELETE" && path == "/api/v1/me/offline/downloads" }
	if _, err := store.SyncPlaylist(ctx, w.api(), w.playlist, "160"); err == nil {
		t.Fatal("a sync whose removal the server refused succeeded")
	}
	w.reqs.fail = nil
	store, err := offline.OpenStore(dir) // as after a restart
	if err != nil {
		t.Fatal(err)
	}
	rep, m := w.sync(t, store)
	if len(m) != 0 || len(rep.Downloaded) != 0 {
		t.Fatalf("the resumed sync: %+v, manifests %q; want nothing asked for again", rep, m)
	}
	held := heldByID(store)
	if len(held) != 2 || held[w.tracks[1]].ID == "" || held[w.tracks[2]].ID == "" {
		t.Fatalf("held after the resumed sync: %+v", held)
	}
	if rep, m = w.sync(t, store); len(m) != 0 || len(rep.Deleted) != 0 {
		t.Fatalf("a sync after the resumed one: %+v, manifests %q", rep, m)
	}
}

// TestOfflinePlaylistSyncFallsBack: when the change log no longer reaches
// back to the version held (410), or an added track cannot be had
// (422 for track_ids), the sync reads the whole playlist as a first sync
// does, and the next one reads changes again.
func TestOfflinePlaylistSyncFallsBack(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	store := w.enrolledStore(t)
	w.sync(t, store)

	// The log trimmed past the version held.
	w.edit(t, music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: []string{w.tracks[1]}})
	w.edit(t, music.PlaylistEdit{Kind: music.EditRemove, EntryIDs: w.entryIDs(t)[:1]}) // track 0
	if _, err := w.st.DB().Exec("DELETE FROM playlist_changes WHERE playlist_id = ?", w.playlist); err != nil {
		t.Fatal(err)
	}
	rep, m := w.sync(t, store)
	if !slices.Equal(m, []string{"playlist " + w.playlist}) || !slices.Equal(rep.Downloaded, []string{w.tracks[1]}) || !slices.Equal(rep.Deleted, []string{w.tracks[0]}) {
		t.Fatalf("sync past a trimmed log: %+v, manifests %q; want the whole playlist's", rep, m)
	}

	// Track 0 added back, then its release taken down: renewal deletes
	// track 1 (the same release), and track_ids [track 0] is 422.
	w.edit(t, music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: []string{w.tracks[0]}})
	if err := w.st.TakedownRelease(ctx, "rel-1"); err != nil {
		t.Fatal(err)
	}
	rep, m = w.sync(t, store)
	if !slices.Equal(m, []string{"tracks " + w.tracks[0], "playlist " + w.playlist}) || len(rep.Downloaded) != 0 || !slices.Equal(rep.Deleted, []string{w.tracks[1]}) {
		t.Fatalf("sync with an added track taken down: %+v, manifests %q", rep, m)
	}
	if held := heldByID(store); len(held) != 1 || held[w.tracks[2]].ID == "" {
		t.Fatalf("held %+v, want track 2 only", held)
	}

	// Changes again from here: track 2 removed, no manifest.
	es, _, _ := w.st.Entries(ctx, w.playlist, w.userID, 0, 10)
	var of2 []string
	for _, e := range es {
		if e.TrackID == w.tracks[2] {
			of2 = append(of2, e.ID)
		}
	}
	w.edit(t, music.PlaylistEdit{Kind: music.EditRemove, EntryIDs: of2})
	if rep, m = w.sync(t, store); len(m) != 0 || !slices.Equal(rep.Deleted, []string{w.tracks[2]}) || len(store.Held()) != 0 {
		t.Fatalf("sync after the fallback: %+v, manifests %q, %d held", rep, m, len(store.Held()))
	}
}
