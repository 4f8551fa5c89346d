package ingest

import (
	"sort"
	"strconv"
	"strings"
)

// trackList flattens a release's ResourceGroup tree into disc and track
// positions. A nested group of type "Component" is one disc (CD, side);
// other nested groups (a classical work's movements) stay on the disc of
// their parent, and their items continue its numbering. Groups and items
// are ordered by SequenceNumber, falling back to document order. Only audio
// and video items are tracks: linked cover art and booklets are not.
// It also returns the references that name no resource.
func trackList(groups []ernResourceGroup, kinds map[string]TrackRef) (tracks []TrackRef, unknown []string) {
	w := &trackWalker{kinds: kinds, next: map[int]int{}}
	for _, g := range sortGroups(groups) {
		w.walk(g, 0)
	}
	if w.out == nil {
		return []TrackRef{}, w.unknown
	}
	return w.out, w.unknown
}

type trackWalker struct {
	kinds   map[string]TrackRef
	discs   int         // components seen so far
	next    map[int]int // disc -> last track number used
	out     []TrackRef
	unknown []string
}

func (w *trackWalker) walk(g ernResourceGroup, disc int) {
	if strings.TrimSpace(g.Type) == "Component" {
		w.discs++
		disc = w.discs
	}
	for _, sub := range sortGroups(g.Groups) {
		w.walk(sub, disc)
	}
	items := append([]ernGroupItem(nil), g.Items...)
	sort.SliceStable(items, func(i, j int) bool { return seq(items[i].Sequence) < seq(items[j].Sequence) })
	for _, it := range items {
		ref := trim(it.Ref)
		k, ok := w.kinds[ref]
		if !ok {
			w.unknown = append(w.unknown, ref)
			continue
		}
		if k.Kind != "SoundRecording" && k.Kind != "Video" {
			continue
		}
		d := disc
		if d == 0 {
			// Items outside any component: disc 1 when there are no
			// components, else a disc of their own after the last one.
			d = 1
			if w.discs > 0 {
				d = w.discs + 1
			}
		}
		w.next[d]++
		w.out = append(w.out, TrackRef{Disc: d, Number: w.next[d], Reference: ref, Kind: k.Kind, ISRC: k.ISRC})
	}
}

func sortGroups(gs []ernResourceGroup) []ernResourceGroup {
	out := append([]ernResourceGroup(nil), gs...)
	sort.SliceStable(out, func(i, j int) bool { return seq(out[i].Sequence) < seq(out[j].Sequence) })
	return out
}

// seq reads a SequenceNumber; a missing or bad one sorts as 0 so that
// document order decides.
func seq(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0
	}
	return n
}
