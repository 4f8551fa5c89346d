package music

import (
	"strings"
	"testing"
)

// live renders the live entries of an order, space-separated.
func live(order []PlaylistSlot) string {
	var out []string
	for _, s := range order {
		if !s.Removed {
			out = append(out, s.ID)
		}
	}
	return strings.Join(out, " ")
}

func slots(ids ...string) []PlaylistSlot {
	out := make([]PlaylistSlot, len(ids))
	for i, id := range ids {
		out[i] = PlaylistSlot{ID: id}
	}
	return out
}

func pos(p int) *int { return &p }

// TestCollaborativeExample is the design notes' case: user A inserts X
// after S2 while user B removes S2. Either order gives [S1 X S3 S4].
func TestCollaborativeExample(t *testing.T) {
	insert := PlaylistEdit{Kind: EditAdd, TrackIDs: []string{"song-x"}, After: "S2"}
	remove := PlaylistEdit{Kind: EditRemove, EntryIDs: []string{"S2"}}
	for _, tc := range []struct {
		name  string
		edits []PlaylistEdit
	}{
		{"insert then remove", []PlaylistEdit{insert, remove}},
		{"remove then insert", []PlaylistEdit{remove, insert}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			order := slots("S1", "S2", "S3", "S4")
			for _, e := range tc.edits {
				var ids []string
				if e.Kind == EditAdd {
					ids = []string{"X"}
				}
				res, err := ApplyPlaylistEdit(order, e, ids)
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
	base := append(slots("a", "b"), PlaylistSlot{ID: "gone", Removed: true}, PlaylistSlot{ID: "c"})
	tests := []struct {
		name      string
		edit      PlaylistEdit
		newIDs    []string
		want      string
		wantAfter string
		wantCode  string
	}{
		{name: "append", edit: PlaylistEdit{Kind: EditAdd, TrackIDs: []string{"t"}}, newIDs: []string{"n"}, want: "a b c n", wantAfter: "c"},
		{name: "add at start", edit: PlaylistEdit{Kind: EditAdd, TrackIDs: []string{"t", "u"}, Position: pos(0)}, newIDs: []string{"n", "m"}, want: "n m a b c"},
		{name: "add at position 2", edit: PlaylistEdit{Kind: EditAdd, TrackIDs: []string{"t"}, Position: pos(2)}, newIDs: []string{"n"}, want: "a b n c", wantAfter: "b"},
		{name: "add at the end by position", edit: PlaylistEdit{Kind: EditAdd, TrackIDs: []string{"t"}, Position: pos(3)}, newIDs: []string{"n"}, want: "a b c n", wantAfter: "c"},
		{name: "add after a removed entry", edit: PlaylistEdit{Kind: EditAdd, TrackIDs: []string{"t"}, After: "gone"}, newIDs: []string{"n"}, want: "a b n c", wantAfter: "b"},
		{name: "remove", edit: PlaylistEdit{Kind: EditRemove, EntryIDs: []string{"a", "c"}}, want: "b"},
		{name: "remove again is a no-op", edit: PlaylistEdit{Kind: EditRemove, EntryIDs: []string{"gone"}}, want: "a b c"},
		{name: "move to start", edit: PlaylistEdit{Kind: EditMove, EntryIDs: []string{"c"}, Position: pos(0)}, want: "c a b"},
		{name: "move two after a", edit: PlaylistEdit{Kind: EditMove, EntryIDs: []string{"c", "b"}, After: "a"}, want: "a c b", wantAfter: "a"},
		{name: "move to end", edit: PlaylistEdit{Kind: EditMove, EntryIDs: []string{"a"}}, want: "b c a", wantAfter: "c"},
		{name: "move a removed entry does nothing", edit: PlaylistEdit{Kind: EditMove, EntryIDs: []string{"gone"}, Position: pos(0)}, want: "a b c"},

		{name: "position past the end", edit: PlaylistEdit{Kind: EditAdd, TrackIDs: []string{"t"}, Position: pos(4)}, newIDs: []string{"n"}, wantCode: EUNPROCESSABLE},
		{name: "negative position", edit: PlaylistEdit{Kind: EditAdd, TrackIDs: []string{"t"}, Position: pos(-1)}, newIDs: []string{"n"}, wantCode: EUNPROCESSABLE},
		{name: "unknown anchor", edit: PlaylistEdit{Kind: EditAdd, TrackIDs: []string{"t"}, After: "zz"}, newIDs: []string{"n"}, wantCode: EUNPROCESSABLE},
		{name: "unknown entry", edit: PlaylistEdit{Kind: EditRemove, EntryIDs: []string{"zz"}}, wantCode: EUNPROCESSABLE},
		{name: "anchor is moved", edit: PlaylistEdit{Kind: EditMove, EntryIDs: []string{"a"}, After: "a"}, wantCode: EUNPROCESSABLE},
		{name: "both after and position", edit: PlaylistEdit{Kind: EditAdd, TrackIDs: []string{"t"}, After: "a", Position: pos(0)}, newIDs: []string{"n"}, wantCode: EINVALID},
		{name: "add without tracks", edit: PlaylistEdit{Kind: EditAdd}, wantCode: EINVALID},
		{name: "remove without entries", edit: PlaylistEdit{Kind: EditRemove}, wantCode: EINVALID},
		{name: "unknown kind", edit: PlaylistEdit{Kind: "shuffle"}, wantCode: EINVALID},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := ApplyPlaylistEdit(base, tc.edit, tc.newIDs)
			if tc.wantCode != "" {
				if ErrorCode(err) != tc.wantCode {
					t.Fatalf("err %v, want code %s", err, tc.wantCode)
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
