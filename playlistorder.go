package music

import "slices"

// PlaylistSlot is one place in a playlist's stored order: a live entry or
// the tombstone a removed entry leaves. Tombstones keep their place so
// that an edit anchored on a removed entry still lands where it was.
type PlaylistSlot struct {
	ID      string
	Removed bool
}

// PlacedEdit is the outcome of ApplyPlaylistEdit.
type PlacedEdit struct {
	Order   []PlaylistSlot
	Placed  []string // entries added or moved, in their new order
	After   string   // live entry right before Placed; "" = the start
	Removed []string // entries that went from live to removed
}

// ApplyPlaylistEdit applies e to order and returns the new order. newIDs
// are the IDs for the entries an add creates, one per e.TrackIDs. It is
// the single definition of edit semantics (see PlaylistEdit); stores call
// it inside their write transaction.
//
// Removing or moving an entry that is already removed does nothing to it,
// so a retried edit converges. An ID that never was in the playlist, an
// anchor among the moved entries or a position outside 0..live count is
// EUNPROCESSABLE; a malformed edit is EINVALID.
func ApplyPlaylistEdit(order []PlaylistSlot, e PlaylistEdit, newIDs []string) (PlacedEdit, error) {
	index := make(map[string]int, len(order))
	for i, s := range order {
		index[s.ID] = i
	}
	known := func(ids []string) error {
		for _, id := range ids {
			if _, ok := index[id]; !ok {
				return Errorf(EUNPROCESSABLE, "entry %q is not in this playlist", id)
			}
		}
		return nil
	}
	if e.After != "" && e.Position != nil {
		return PlacedEdit{}, Errorf(EINVALID, "give after or position, not both")
	}
	switch e.Kind {
	case EditAdd:
		if len(e.TrackIDs) == 0 || len(e.EntryIDs) != 0 {
			return PlacedEdit{}, Errorf(EINVALID, "add: track_ids is required and entry_ids is not allowed")
		}
		if len(newIDs) != len(e.TrackIDs) {
			return PlacedEdit{}, Errorf(EINTERNAL, "add: %d entry IDs for %d tracks", len(newIDs), len(e.TrackIDs))
		}
		out := slices.Clone(order)
		at, err := insertionPoint(out, index, e)
		if err != nil {
			return PlacedEdit{}, err
		}
		slots := make([]PlaylistSlot, len(newIDs))
		for i, id := range newIDs {
			slots[i] = PlaylistSlot{ID: id}
		}
		out = slices.Insert(out, at, slots...)
		return PlacedEdit{Order: out, Placed: newIDs, After: liveBefore(out, at)}, nil

	case EditRemove:
		if len(e.EntryIDs) == 0 || len(e.TrackIDs) != 0 || e.After != "" || e.Position != nil {
			return PlacedEdit{}, Errorf(EINVALID, "remove: entry_ids is required; track_ids, after and position are not allowed")
		}
		if err := known(e.EntryIDs); err != nil {
			return PlacedEdit{}, err
		}
		out := slices.Clone(order)
		var removed []string
		for _, id := range e.EntryIDs {
			if s := &out[index[id]]; !s.Removed {
				s.Removed = true
				removed = append(removed, id)
			}
		}
		return PlacedEdit{Order: out, Removed: removed}, nil

	case EditMove:
		if len(e.EntryIDs) == 0 || len(e.TrackIDs) != 0 {
			return PlacedEdit{}, Errorf(EINVALID, "move: entry_ids is required and track_ids is not allowed")
		}
		if err := known(e.EntryIDs); err != nil {
			return PlacedEdit{}, err
		}
		moving := map[string]bool{}
		var moved []PlaylistSlot
		for _, id := range e.EntryIDs {
			if s := order[index[id]]; !s.Removed && !moving[id] {
				moving[id] = true
				moved = append(moved, s)
			}
		}
		if moving[e.After] {
			return PlacedEdit{}, Errorf(EUNPROCESSABLE, "move: entry %q cannot be both moved and the anchor", e.After)
		}
		var rest []PlaylistSlot
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
			return PlacedEdit{}, err
		}
		out := slices.Insert(rest, at, moved...)
		ids := make([]string, len(moved))
		for i, s := range moved {
			ids[i] = s.ID
		}
		return PlacedEdit{Order: out, Placed: ids, After: liveBefore(out, at)}, nil
	}
	return PlacedEdit{}, Errorf(EINVALID, "edit kind %q: want add, remove or move", e.Kind)
}

// insertionPoint is the slot index where new or moved entries go.
func insertionPoint(order []PlaylistSlot, index map[string]int, e PlaylistEdit) (int, error) {
	if e.After != "" {
		i, ok := index[e.After]
		if !ok {
			return 0, Errorf(EUNPROCESSABLE, "after: entry %q is not in this playlist", e.After)
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
	return 0, Errorf(EUNPROCESSABLE, "position %d is outside 0..%d", p, live)
}

// liveBefore is the nearest live entry before slot index at.
func liveBefore(order []PlaylistSlot, at int) string {
	for i := at - 1; i >= 0; i-- {
		if !order[i].Removed {
			return order[i].ID
		}
	}
	return ""
}
