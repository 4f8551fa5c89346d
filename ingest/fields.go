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

// chooseTitle picks the default DisplayTitle, else the first.
func chooseTitle(ts []ernTitle) (title, subtitle string) {
	for _, t := range ts {
		if t.IsDefault {
			return trim(t.Text), trim(t.SubTitle)
		}
	}
	for _, t := range ts {
		if trim(t.Text) != "" {
			return trim(t.Text), trim(t.SubTitle)
		}
	}
	return "", ""
}

// defaultArtistName picks the default DisplayArtistName, else the first
// one without a language, else the first.
func defaultArtistName(ns []ernArtistName) string {
	for _, n := range ns {
		if n.IsDefault {
			return trim(n.Name)
		}
	}
	for _, n := range ns {
		if n.Language == "" {
			return trim(n.Name)
		}
	}
	if len(ns) > 0 {
		return trim(ns[0].Name)
	}
	return ""
}

func defaultLabel(ls []ernLabelRef) string {
	for _, l := range ls {
		if l.IsDefault {
			return trim(l.Ref)
		}
	}
	if len(ls) > 0 {
		return trim(ls[0].Ref)
	}
	return ""
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
func artists(das []ernDisplayArtist, names map[string]string) []Artist {
	var out []Artist
	for i, da := range das {
		a := Artist{Sequence: seq(da.Sequence), PartyReference: trim(da.PartyRef), pos: i}
		a.Name = names[a.PartyReference]
		for _, r := range da.Roles {
			a.Roles = append(a.Roles, trim(r))
		}
		out = append(out, a)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Sequence < out[j].Sequence })
	return out
}
