package ingest

import (
	"fmt"
	"sort"
	"strings"
)

// Small converters shared by the message conversion.

func trim(s string) string { return strings.TrimSpace(s) }

func first(ss []string) string {
	for _, s := range ss {
		if s = trim(s); s != "" {
			return s
		}
	}
	return ""
}

func firstNonEmpty(ss ...string) string { return first(ss) }

// index renders an XPath step, with a 1-based position only when the
// element repeats.
func index(name string, i, n int) string {
	if n > 1 {
		return fmt.Sprintf("/%s[%d]", name, i+1)
	}
	return "/" + name
}

func proprietary(ps []ernProp) []string {
	var out []string
	for _, p := range ps {
		if v := trim(p.Value); v != "" {
			out = append(out, trim(p.Namespace)+":"+v)
		}
	}
	return out
}

// pick returns the first element satisfying the first preference that any
// element satisfies; with no match, the first element. ok is false only
// for an empty list.
func pick[T any](xs []T, prefs ...func(T) bool) (x T, ok bool) {
	for _, pref := range prefs {
		for _, x := range xs {
			if pref(x) {
				return x, true
			}
		}
	}
	if len(xs) == 0 {
		return x, false
	}
	return xs[0], true
}

// chooseTitle picks the default DisplayTitle, else the first with text.
func chooseTitle(ts []ernTitle) (title, subtitle string) {
	t, _ := pick(ts, func(t ernTitle) bool { return t.IsDefault }, func(t ernTitle) bool { return trim(t.Text) != "" })
	return trim(t.Text), trim(t.SubTitle)
}

// defaultArtistName picks the default DisplayArtistName, else the first
// one without a language, else the first.
func defaultArtistName(ns []ernArtistName) string {
	n, _ := pick(ns, func(n ernArtistName) bool { return n.IsDefault }, func(n ernArtistName) bool { return n.Language == "" })
	return trim(n.Name)
}

// defaultLabel picks the default ReleaseLabelReference, else the first.
func defaultLabel(ls []ernLabelRef) string {
	l, _ := pick(ls, func(l ernLabelRef) bool { return l.IsDefault })
	return trim(l.Ref)
}

func firstGenre(gs []ernGenre) ernGenre {
	for _, g := range gs {
		if trim(g.Text) != "" {
			return ernGenre{Text: trim(g.Text), SubGenre: trim(g.SubGenre)}
		}
	}
	return ernGenre{}
}

// artists resolves display artists against the PartyList, in credit order.
// parent is the XML path of the element holding them.
func artists(das []ernDisplayArtist, names map[string]string, parent string) []Artist {
	var out []Artist
	for i, da := range das {
		a := Artist{Sequence: seq(da.Sequence), PartyReference: trim(da.PartyRef), Path: parent + index("DisplayArtist", i, len(das))}
		a.Name = names[a.PartyReference]
		for _, r := range da.Roles {
			a.Roles = append(a.Roles, trim(r))
		}
		out = append(out, a)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Sequence < out[j].Sequence })
	return out
}
