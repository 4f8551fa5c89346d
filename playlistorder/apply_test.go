package playlistorder

import (
	"errors"
	"slices"
	"strings"
	"testing"

	music "github.com/openmusic/music"
)

// live renders the live entries of an order, space-separated.
func live(order []Slot) string {
	var out []string
	for _, s := range order {
		if !s.Removed {
			out = append(out, s.ID)
		}
	}
	return strings.Join(out, " ")
}

func slots(ids ...string) []Slot {
	out := make([]Slot, len(ids))
	for i, id := range ids {
		out[i] = Slot{ID: id}
	}
	return out
}

func pos(p int) *int { return &p }

// TestCollaborativeExample is the collaborative-editing case: user A inserts X
// after S2 while user B removes S2. Either order gives [S1 X S3 S4].
func TestCollaborativeExample(t *testing.T) {
	insert := music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: []string{"song-x"}, After: "S2"}
	remove := music.PlaylistEdit{Kind: music.EditRemove, EntryIDs: []string{"S2"}}
	for _, tc := range []struct {
		name  string
		edits []music.PlaylistEdit
	}{
		{"insert then remove", []music.PlaylistEdit{insert, remove}},
		{"remove then insert", []music.PlaylistEdit{remove, insert}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			order := slots("S1", "S2", "S3", "S4")
			for _, e := range tc.edits {
				var ids []string
				if e.Kind == music.EditAdd {
					ids = []string{"X"}
				}
				res, err := Apply(order, e, ids)
				if err != nil {
					t.Fatal(err)
				}
				order = res.Order
			}
			if got := live(order); got != "S1 X S3 S4" {
				t.Errorf("got [%s], want [S1 X S3 S4]", got)
			}
		})
	}
}

func TestApplyPlaylistEdit(t *testing.T) {
	base := append(slots("a", "b"), Slot{ID: "gone", Removed: true}, Slot{ID: "c"})
	tests := []struct {
		name      string
		edit      music.PlaylistEdit
		newIDs    []string
		want      string
		wantAfter string
		wantCode  string
	}{
		{name: "append", edit: music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: []string{"t"}}, newIDs: []string{"n"}, want: "a b c n", wantAfter: "c"},
		{name: "add at start", edit: music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: []string{"t", "u"}, Position: pos(0)}, newIDs: []string{"n", "m"}, want: "n m a b c"},
		{name: "add at position 2", edit: music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: []string{"t"}, Position: pos(2)}, newIDs: []string{"n"}, want: "a b n c", wantAfter: "b"},
		{name: "add at the end by position", edit: music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: []string{"t"}, Position: pos(3)}, newIDs: []string{"n"}, want: "a b c n", wantAfter: "c"},
		{name: "add after a removed entry", edit: music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: []string{"t"}, After: "gone"}, newIDs: []string{"n"}, want: "a b n c", wantAfter: "b"},
		{name: "remove", edit: music.PlaylistEdit{Kind: music.EditRemove, EntryIDs: []string{"a", "c"}}, want: "b"},
		{name: "remove again is a no-op", edit: music.PlaylistEdit{Kind: music.EditRemove, EntryIDs: []string{"gone"}}, want: "a b c"},
		{name: "move to start", edit: music.PlaylistEdit{Kind: music.EditMove, EntryIDs: []string{"c"}, Position: pos(0)}, want: "c a b"},
		{name: "move two after a", edit: music.PlaylistEdit{Kind: music.EditMove, EntryIDs: []string{"c", "b"}, After: "a"}, want: "a c b", wantAfter: "a"},
		{name: "move to end", edit: music.PlaylistEdit{Kind: music.EditMove, EntryIDs: []string{"a"}}, want: "b c a", wantAfter: "c"},
		{name: "move after a removed entry", edit: music.PlaylistEdit{Kind: music.EditMove, EntryIDs: []string{"c"}, After: "gone"}, want: "a b c", wantAfter: "b"},

		{name: "move a removed entry", edit: music.PlaylistEdit{Kind: music.EditMove, EntryIDs: []string{"gone"}, Position: pos(0)}, wantCode: music.ECONFLICT},
		{name: "move a live and a removed entry", edit: music.PlaylistEdit{Kind: music.EditMove, EntryIDs: []string{"c", "gone"}, Position: pos(0)}, wantCode: music.ECONFLICT},

		{name: "position past the end", edit: music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: []string{"t"}, Position: pos(4)}, newIDs: []string{"n"}, wantCode: music.EUNPROCESSABLE},
		{name: "negative position", edit: music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: []string{"t"}, Position: pos(-1)}, newIDs: []string{"n"}, wantCode: music.EUNPROCESSABLE},
		{name: "unknown anchor", edit: music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: []string{"t"}, After: "zz"}, newIDs: []string{"n"}, wantCode: music.EUNPROCESSABLE},
		{name: "unknown entry", edit: music.PlaylistEdit{Kind: music.EditRemove, EntryIDs: []string{"zz"}}, wantCode: music.EUNPROCESSABLE},
		{name: "anchor is moved", edit: music.PlaylistEdit{Kind: music.EditMove, EntryIDs: []string{"a"}, After: "a"}, wantCode: music.EUNPROCESSABLE},
		{name: "both after and position", edit: music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: []string{"t"}, After: "a", Position: pos(0)}, newIDs: []string{"n"}, wantCode: music.EINVALID},
		{name: "add without tracks", edit: music.PlaylistEdit{Kind: music.EditAdd}, wantCode: music.EINVALID},
		{name: "remove without entries", edit: music.PlaylistEdit{Kind: music.EditRemove}, wantCode: music.EINVALID},
		{name: "unknown kind", edit: music.PlaylistEdit{Kind: "shuffle"}, wantCode: music.EINVALID},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Apply(base, tc.edit, tc.newIDs)
			if tc.wantCode != "" {
				if music.ErrorCode(err) != tc.wantCode {
					t.Fatalf("err %v, want code %s", err, tc.wantCode)
				}
				var gone *music.RemovedEntryError
				if tc.wantCode == music.ECONFLICT && (!errors.As(err, &gone) || !slices.Equal(gone.EntryIDs, []string{"gone"})) {
					t.Errorf("err %v, want a *RemovedEntryError naming [gone]", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := live(res.Order); got != tc.want {
				t.Errorf("got [%s], want [%s]", got, tc.want)
			}
			if res.After != tc.wantAfter {
				t.Errorf("after %q, want %q", res.After, tc.wantAfter)
			}
			if live(base) != "a b c" {
				t.Errorf("input order changed to [%s]", live(base))
			}
		})
	}
}
