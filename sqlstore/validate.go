package sqlstore

import (
	"fmt"
	"slices"
	"strings"

	music "github.com/openmusic/music"
)

// invalid returns an EINVALID error naming the release and the field.
func invalid(releaseID, format string, args ...any) error {
	return music.Errorf(music.EINVALID, "release %q: %s", releaseID, fmt.Sprintf(format, args...))
}

// validatePublication checks what the schema cannot and normalizes
// territory codes. It returns the first problem; ingest validates
// deliveries in full before anything reaches the catalog.
func validatePublication(p *music.Publication) error {
	r := &p.Release
	if r.ID == "" {
		return music.Errorf(music.EINVALID, "release: empty ID")
	}
	if r.Title == "" {
		return invalid(r.ID, "empty title")
	}
	if err := validateCredits(r.ID, "release artists", r.Artists); err != nil {
		return err
	}
	tracks := map[string]bool{}
	isrcs := map[string]bool{}
	for i := range p.Tracks {
		t := &p.Tracks[i]
		where := fmt.Sprintf("tracks[%d]", i)
		switch {
		case t.ID == "":
			return invalid(r.ID, "%s: empty ID", where)
		case t.ISRC == "":
			return invalid(r.ID, "%s (%s): empty ISRC", where, t.ID)
		case t.Title == "":
			return invalid(r.ID, "%s (%s): empty title", where, t.ID)
		case t.ReleaseID != "" && t.ReleaseID != r.ID:
			return invalid(r.ID, "%s (%s): belongs to release %q", where, t.ID, t.ReleaseID)
		case t.DiscNumber < 1 || t.TrackNumber < 1:
			return invalid(r.ID, "%s (%s): disc %d track %d, both must be >= 1", where, t.ID, t.DiscNumber, t.TrackNumber)
		case t.Duration < 0 || t.PreviewStart < 0:
			return invalid(r.ID, "%s (%s): negative duration or preview start", where, t.ID)
		case tracks[t.ID]:
			return invalid(r.ID, "%s: track %s listed twice", where, t.ID)
		case isrcs[t.ISRC]:
			return invalid(r.ID, "%s: ISRC %s listed twice", where, t.ISRC)
		}
		tracks[t.ID], isrcs[t.ISRC] = true, true
		t.ReleaseID = r.ID
		if err := validateCredits(r.ID, where+" artists", t.Artists); err != nil {
			return err
		}
	}
	for i, rd := range p.Renditions {
		where := fmt.Sprintf("renditions[%d]", i)
		switch {
		case rd.TrackID == "":
			return invalid(r.ID, "%s: empty track ID", where)
		case !slices.Contains(music.Rungs, rd.Rung):
			return invalid(r.ID, "%s (%s): rung %q is not one of %v", where, rd.TrackID, rd.Rung, music.Rungs)
		case rd.BlobKey == "" || rd.SHA256 == "":
			return invalid(r.ID, "%s (%s/%s): empty blob key or SHA-256", where, rd.TrackID, rd.Rung)
		}
	}
	for i := range p.Deals {
		d := &p.Deals[i]
		where := fmt.Sprintf("deals[%d]", i)
		if len(d.Territories) == 0 {
			return invalid(r.ID, "%s: no territory", where)
		}
		if !d.End.IsZero() && !d.End.After(d.Start) {
			return invalid(r.ID, "%s: end %s is not after start %s", where, d.End, d.Start)
		}
		for _, ut := range d.UseTypes {
			if ut == "" || strings.Contains(ut, ",") {
				return invalid(r.ID, "%s: use type %q", where, ut)
			}
		}
		var err error
		if d.Territories, err = normalizeTerritories(d.Territories); err != nil {
			return invalid(r.ID, "%s: %v", where, err)
		}
		if d.ExcludedTerritories, err = normalizeTerritories(d.ExcludedTerritories); err != nil {
			return invalid(r.ID, "%s excluded: %v", where, err)
		}
		for _, x := range d.ExcludedTerritories {
			if slices.Contains(d.Territories, x) {
				return invalid(r.ID, "%s: territory %s is both included and excluded", where, x)
			}
		}
	}
	for i, f := range p.Fingerprints {
		if f.TrackID == "" || f.Algorithm == "" || f.PCMSHA256 == "" {
			return invalid(r.ID, "fingerprints[%d]: empty track ID, algorithm or PCM hash", i)
		}
	}
	return nil
}

// validateCredits checks artist credits.
func validateCredits(releaseID, where string, credits []music.ArtistCredit) error {
	for i, c := range credits {
		if c.ArtistID == "" {
			return invalid(releaseID, "%s[%d]: empty artist ID", where, i)
		}
		if c.Role == "" {
			return invalid(releaseID, "%s[%d] (%s): empty role", where, i, c.ArtistID)
		}
	}
	return nil
}

// normalizeTerritory returns the stored spelling of a territory: upper-case
// ISO 3166-1 alpha-2, or Worldwide.
func normalizeTerritory(t string) (string, error) {
	if strings.EqualFold(t, music.Worldwide) {
		return music.Worldwide, nil
	}
	u := strings.ToUpper(t)
	if len(u) != 2 || u[0] < 'A' || u[0] > 'Z' || u[1] < 'A' || u[1] > 'Z' {
		return "", fmt.Errorf("territory %q is neither an ISO 3166-1 alpha-2 code nor %s", t, music.Worldwide)
	}
	return u, nil
}

// normalizeTerritories normalizes and deduplicates a list.
func normalizeTerritories(ts []string) ([]string, error) {
	var out []string
	for _, t := range ts {
		n, err := normalizeTerritory(t)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out, nil
}
