// Package playlistorder defines what an edit does to a playlist's order:
// where added and moved entries land, and how removed entries stay as
// tombstones so that concurrent edits converge. Every playlist store
// applies edits with it, and the playlist conformance suite checks stores
// against it.
package playlistorder

import (
	"slices"

	music "github.com/openmusic/music"
)

// Slot is one place in a playlist's stored order: a live entry or the
// tombstone a removed entry leaves. Tombstones keep their place so that
// an edit anchored on a removed entry still lands where it was.
type Slot struct {
	ID      string
	Removed bool
}

// Result is the outcome of Apply.
type Result struct {
	Order   []Slot
	Placed  []string // entries added or moved, in their new order
	After   string   // live entry right before Placed; "" = the start
	Removed []string // entries that went from live to removed
}

// Apply applies e to order and returns the new order. newIDs are the IDs
// for the entries an add creates, one per e.TrackIDs. It is the single
// definition of edit semantics (see music.PlaylistEdit); stores call it
// inside their write transaction.
//
// Removing an entry that is already removed does nothing to it, so a
// retried removal converges. Moving one is a *music.RemovedEntryError
// (ECONFLICT, naming the removed entries; the store fills in the playlist
// and its version): the mover's order cannot be had, and a silent success
// would say it was. An anchor (After) may still be removed: the entries
// go where it was. An ID that never was in the playlist, an
// anchor among the moved entries or a position outside 0..live count is
// EUNPROCESSABLE; a malformed edit is EINVALID.
func Apply(order []Slot, e music.PlaylistEdit, newIDs []string) (Result, error) {
	index := make(map[string]int, len(order))
	for i, s := range order {
		index[s.ID] = i
	}
	known := func(ids []string) error {
		for _, id := range ids {
			if _, ok := index[id]; !ok {
				return music.Errorf(music.EUNPROCESSABLE, "entry %q is not in this playlist", id)
			}
		}
		return nil
	}
	if e.After != "" && e.Position != nil {
		return Result{}, music.Errorf(music.EINVALID, "give after or position, not both")
	}
	switch e.Kind {
	case music.EditAdd:
		if len(e.TrackIDs) == 0 || len(e.EntryIDs) != 0 {
			return Result{}, music.Errorf(music.EINVALID, "add: track_ids is required and entry_ids is not allowed")
		}
		if len(newIDs) != len(e.TrackIDs) {
			return Result{}, music.Errorf(music.EINTERNAL, "add: %d entry IDs for %d tracks", len(newIDs), len(e.TrackIDs))
		}
		out := slices.Clone(order)
		at, err := insertionPoint(out, index, e)
		if err != nil {
			return Result{}, err
		}
		slots := make([]Slot, len(newIDs))
		for i, id := range newIDs {
			slots[i] = Slot{ID: id}
		}
		out = slices.Insert(out, at, slots...)
		return Result{Order: out, Placed: newIDs, After: liveBefore(out, at)}, nil

	case music.EditRemove:
		if len(e.EntryIDs) == 0 || len(e.TrackIDs) != 0 || e.After != "" || e.Position != nil {
			return Result{}, music.Errorf(music.EINVALID, "remove: entry_ids is required; track_ids, after and position are not allowed")
		}
		if err := known(e.EntryIDs); err != nil {
			return Result{}, err
		}
		out := slices.Clone(order)
		var removed []string
		for _, id := range e.EntryIDs {
			if s := &out[index[id]]; !s.Removed {
				s.Removed = true
				removed = append(removed, id)
			}
		}
		return Result{Order: out, Removed: removed}, nil

	case music.EditMove:
		if len(e.EntryIDs) == 0 || len(e.TrackIDs) != 0 {
			return Result{}, music.Errorf(music.EINVALID, "move: entry_ids is required and track_ids is not allowed")
		}
		if err := known(e.EntryIDs); err != nil {
			return Result{}, err
		}
		moving := map[string]bool{}
		var moved []Slot
		var gone []string
		for _, id := range e.EntryIDs {
			switch s := order[index[id]]; {
			case s.Removed:
				if !slices.Contains(gone, id) {
					gone = append(gone, id)
				}
			case !moving[id]:
				moving[id] = true
				moved = append(moved, s)
			}
		}
		if len(gone) > 0 {
			return Result{}, &music.RemovedEntryError{EntryIDs: gone}
		}
		if moving[e.After] {
			return Result{}, music.Errorf(music.EUNPROCESSABLE, "move: entry %q cannot be both moved and the anchor", e.After)
		}
		var rest []Slot
		for _, s := range order {
			if !moving[s.ID] {
				rest = append(rest, s)
			}
		}
		restIndex := make(map[string]int, len(rest))
		for i, s := range rest {
			restIndex[s.ID] = i
		}
		at, err := insertionPoint(rest, restIndex, e)
		if err != nil {
			return Result{}, err
		}
		out := slices.Insert(rest, at, moved...)
		ids := make([]string, len(moved))
		for i, s := range moved {
			ids[i] = s.ID
		}
		return Result{Order: out, Placed: ids, After: liveBefore(out, at)}, nil
	}
	return Result{}, music.Errorf(music.EINVALID, "edit kind %q: want add, remove or move", e.Kind)
}

// insertionPoint is the slot index where new or moved entries go.
func insertionPoint(order []Slot, index map[string]int, e music.PlaylistEdit) (int, error) {
	if e.After != "" {
		i, ok := index[e.After]
		if !ok {
			return 0, music.Errorf(music.EUNPROCESSABLE, "after: entry %q is not in this playlist", e.After)
		}
		return i + 1, nil
	}
	if e.Position == nil {
		return len(order), nil
	}
	p, live := *e.Position, 0
	for i, s := range order {
		if s.Removed {
			continue
		}
		if live == p {
			return i, nil
		}
		live++
	}
	if p == live {
		return len(order), nil
	}
	return 0, music.Errorf(music.EUNPROCESSABLE, "position %d is outside 0..%d", p, live)
}

// liveBefore is the nearest live entry before slot index at.
func liveBefore(order []Slot, at int) string {
	for i := at - 1; i >= 0; i-- {
		if !order[i].Removed {
			return order[i].ID
		}
	}
	return ""
}
