package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"

	music "github.com/openmusic/music"
	"golang.org/x/text/unicode/norm"
)

// CatalogTrack is one sound recording of a release as the catalog will
// hold it, with the delivered file that carries its audio.
type CatalogTrack struct {
	Track music.Track `json:"track"` // metadata only: no renditions, loudness or dedup yet
	// File is the master's path relative to the delivery folder
	// (File.Resolved after validation).
	File string `json:"file"`
	// PreviewStart is the label's clip start in seconds (ClipDetails/
	// StartPoint); nil when the label left the choice to us.
	PreviewStart *float64 `json:"preview_start,omitempty"`
}

// CatalogRelease is a validated NewReleaseMessage turned into catalog
// records: the release, its tracks in disc/track order and its deals.
type CatalogRelease struct {
	Release music.Release  `json:"release"` // without Tracks and Deals; see the fields below
	Tracks  []CatalogTrack `json:"tracks"`
	Deals   []music.Deal   `json:"deals"`
}

// Catalog converts a validated delivery (Validator.Validate reported no
// problems, so identifiers are valid and files resolved) into catalog
// records. Artist IDs come from ArtistID. Supplemental recordings and
// non-audio resources are not tracks.
func (d *Delivery) Catalog() (*CatalogRelease, error) {
	if d.Kind != KindNewRelease || d.Release == nil {
		return nil, music.Errorf(music.EINVALID, "%s: only a NewReleaseMessage with a release becomes a catalog release", d.Kind)
	}
	r := d.Release
	id, err := r.ID()
	if err != nil {
		return nil, err
	}
	parties := map[string]Party{}
	for _, p := range d.Parties {
		parties[p.Reference] = p
	}
	s := d.Summary()
	out := &CatalogRelease{Release: music.Release{
		ID:          id,
		UPC:         r.ICPN,
		Title:       joinTitle(r.Title, r.Subtitle),
		Label:       r.Label,
		ReleaseDate: s.ReleaseDate,
		Genre:       r.Genre,
		Sender:      d.Header.SenderID,
		MessageID:   d.Header.MessageID,
		Artists:     credits(r.Artists, parties),
	}, Deals: []music.Deal{}}
	if r.PLine != nil {
		out.Release.PLine = r.PLine.Text
	}
	recs := map[string]*SoundRecording{}
	for i := range d.SoundRecordings {
		recs[d.SoundRecordings[i].Reference] = &d.SoundRecordings[i]
	}
	for _, ref := range r.Tracks {
		sr := recs[ref.Reference]
		if sr == nil || sr.Supplemental {
			continue
		}
		t, err := catalogTrack(sr, ref, id, r, parties)
		if err != nil {
			return nil, err
		}
		out.Tracks = append(out.Tracks, t)
	}
	if len(out.Tracks) == 0 {
		return nil, music.Errorf(music.EINVALID, "release %s has no sound recording to ingest", id)
	}
	for _, deal := range d.ReleaseDeals() {
		if !deal.TakeDown { // a TakeDown deal grants nothing
			out.Deals = append(out.Deals, catalogDeal(deal))
		}
	}
	return out, nil
}

func catalogTrack(sr *SoundRecording, ref TrackRef, releaseID string, r *Release, parties map[string]Party) (CatalogTrack, error) {
	id, err := TrackID(sr.ISRC)
	if err != nil {
		return CatalogTrack{}, err
	}
	isrc, _ := NormalizeISRC(sr.ISRC)
	t := music.Track{
		ID:          id,
		ReleaseID:   releaseID,
		ISRC:        isrc,
		Title:       sr.Title,
		Version:     sr.Subtitle,
		DiscNumber:  ref.Disc,
		TrackNumber: ref.Number,
		Duration:    sr.Duration,
		Genre:       firstNonEmpty(sr.Genre, r.Genre),
		Explicit:    strings.EqualFold(firstNonEmpty(sr.ParentalWarning, r.ParentalWarning), "Explicit"),
		Artists:     credits(sr.Artists, parties),
	}
	if len(t.Artists) == 0 {
		t.Artists = credits(r.Artists, parties)
	}
	if sr.PLine != nil {
		t.PLine = sr.PLine.Text
	}
	var clip *float64
	if sr.Preview != nil && sr.Preview.StartRaw != "" {
		t.PreviewStart = sr.Preview.Start
		secs := sr.Preview.Start.Seconds()
		clip = &secs
	}
	var file string
	for _, f := range sr.Files {
		if f.Resolved != "" {
			file = f.Resolved
			break
		}
	}
	if file == "" {
		return CatalogTrack{}, music.Errorf(music.EINVALID, "%s (%s): no delivered audio file (validate the delivery first)", sr.Path, sr.ISRC)
	}
	return CatalogTrack{Track: t, File: file, PreviewStart: clip}, nil
}

// credits turns display artists into catalog credits, one per artist
// with its first role (MainArtist when none is given).
func credits(artists []Artist, parties map[string]Party) []music.ArtistCredit {
	out := []music.ArtistCredit{}
	seen := map[string]bool{}
	for _, a := range artists {
		if a.Name == "" {
			continue
		}
		id := ArtistID(a.Name, parties[a.PartyReference].IDs)
		if seen[id] {
			continue
		}
		seen[id] = true
		role := "MainArtist"
		if len(a.Roles) > 0 && a.Roles[0] != "" {
			role = a.Roles[0]
		}
		out = append(out, music.ArtistCredit{ArtistID: id, Name: a.Name, Role: role})
	}
	return out
}

// ArtistID is the catalog ID of an artist. An ISNI, which names a person
// or band across labels, gives "art-isni-" + the ISNI; otherwise the ID is
// "art-" + 16 hex digits of the SHA-256 of the name folded for case,
// accents and spacing, so every label's "Beyoncé" is one artist. Two
// artists who share a name and have no ISNI therefore share an ID: labels
// avoid that by sending ISNIs. Party IDs look like "ISNI:0000000123456789".
func ArtistID(name string, partyIDs []string) string {
	for _, id := range partyIDs {
		if v, ok := strings.CutPrefix(id, "ISNI:"); ok && v != "" {
			return "art-isni-" + strings.ToUpper(strings.ReplaceAll(v, " ", ""))
		}
	}
	sum := sha256.Sum256([]byte(foldName(name)))
	return "art-" + hex.EncodeToString(sum[:8])
}

// foldName lower-cases, strips combining accents and collapses spaces.
func foldName(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsSpace(r):
			space = b.Len() > 0
		default:
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// catalogDeal converts a deal's terms.
func catalogDeal(d Deal) music.Deal {
	out := music.Deal{
		Territories:         d.Territories,
		ExcludedTerritories: d.ExcludedTerritories,
		UseTypes:            d.UseTypes,
	}
	if len(d.CommercialModels) > 0 {
		out.CommercialModel = d.CommercialModels[0]
	}
	if d.Start != nil {
		out.Start = *d.Start
	}
	if d.End != nil {
		out.End = *d.End
	}
	return out
}

func joinTitle(title, subtitle string) string {
	if subtitle == "" {
		return title
	}
	return title + " (" + subtitle + ")"
}
