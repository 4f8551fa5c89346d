package ingest

import (
	"fmt"
	"strings"
	"time"
)

// fromNewRelease turns a decoded NewReleaseMessage into the model.
func fromNewRelease(m *ernNewRelease) *Delivery {
	const root = "/" + KindNewRelease
	d := &Delivery{Kind: KindNewRelease, Profile: strings.TrimSpace(m.Profile), Header: fromHeader(m.Header)}
	names := map[string]string{}
	for _, p := range m.Parties {
		party := fromParty(p)
		d.Parties = append(d.Parties, party)
		names[party.Reference] = party.Name
	}
	kinds := map[string]TrackRef{} // resource reference -> kind and ISRC
	for i, sr := range m.Resources.SoundRecordings {
		path := fmt.Sprintf("%s/ResourceList/SoundRecording[%d]", root, i+1)
		rec := fromSoundRecording(sr, path, names)
		d.SoundRecordings = append(d.SoundRecordings, rec)
		kinds[rec.Reference] = TrackRef{Kind: "SoundRecording", ISRC: rec.ISRC}
	}
	others := []struct {
		kind string
		list []ernOtherResource
	}{
		{"Video", m.Resources.Videos}, {"Image", m.Resources.Images}, {"Text", m.Resources.Texts},
		{"SheetMusic", m.Resources.SheetMusic}, {"Software", m.Resources.Software},
	}
	for _, o := range others {
		for i, r := range o.list {
			path := fmt.Sprintf("%s/ResourceList/%s[%d]", root, o.kind, i+1)
			res := fromOther(o.kind, r, path)
			d.OtherResources = append(d.OtherResources, res)
			kinds[res.Reference] = TrackRef{Kind: o.kind, ISRC: res.ISRC}
		}
	}
	if len(m.Releases.Releases) > 0 {
		d.Release = fromRelease(m.Releases.Releases[0], root+"/ReleaseList/Release", names, kinds)
	}
	for _, tr := range m.Releases.TrackReleases {
		d.TrackReleases = append(d.TrackReleases, TrackRelease{
			Reference:         trim(tr.Reference),
			ResourceReference: trim(tr.ResourceRef),
			ProprietaryIDs:    proprietary(tr.ID.Proprietary),
			Label:             names[defaultLabel(tr.Labels)],
			Genre:             firstGenre(tr.Genres).Text,
		})
	}
	for i, rd := range m.Deals {
		for j, deal := range rd.Deals {
			path := fmt.Sprintf("%s/DealList/ReleaseDeal[%d]/Deal[%d]", root, i+1, j+1)
			d.Deals = append(d.Deals, fromDeal(rd.ReleaseRefs, deal, path))
		}
	}
	return d
}

// fromPurge turns a decoded PurgeReleaseMessage into the model.
func fromPurge(m *ernPurgeRelease) *Delivery {
	d := &Delivery{Kind: KindPurgeRelease, Header: fromHeader(m.Header)}
	for i, p := range m.Purged {
		title := trim(p.TitleText)
		if title == "" {
			title, _ = chooseTitle(append(p.Titles, p.LegacyTitles...))
		}
		d.Purged = append(d.Purged, PurgedRelease{
			Path:           fmt.Sprintf("/%s/PurgedRelease[%d]", KindPurgeRelease, i+1),
			ICPN:           trim(p.ReleaseID.ICPN),
			GRid:           trim(p.ReleaseID.GRid),
			ISRC:           trim(p.ReleaseID.ISRC),
			ProprietaryIDs: proprietary(p.ReleaseID.Proprietary),
			Title:          title,
		})
	}
	return d
}

func fromHeader(h ernHeader) Header {
	out := Header{
		MessageID:   trim(h.MessageID),
		ThreadID:    trim(h.ThreadID),
		SenderID:    trim(h.Sender.PartyID),
		SenderName:  trim(h.Sender.FullName),
		Created:     trim(h.Created),
		ControlType: trim(h.ControlType),
	}
	for _, r := range h.Recipients {
		out.Recipients = append(out.Recipients, trim(r.PartyID))
	}
	if t, err := time.Parse(time.RFC3339, out.Created); err == nil {
		out.CreatedAt = t.UTC()
	}
	return out
}

func fromParty(p ernParty) Party {
	out := Party{Reference: trim(p.Reference)}
	for _, n := range p.Names {
		name := trim(n.FullName)
		if out.Name == "" && n.Language == "" {
			out.Name = name
		} else if name != "" {
			out.OtherName = append(out.OtherName, name)
		}
	}
	if out.Name == "" && len(out.OtherName) > 0 {
		out.Name, out.OtherName = out.OtherName[0], out.OtherName[1:]
	}
	for _, id := range p.IDs {
		if v := trim(id.DPID); v != "" {
			out.IDs = append(out.IDs, "DPID:"+v)
		}
		if v := trim(id.ISNI); v != "" {
			out.IDs = append(out.IDs, "ISNI:"+v)
		}
		out.IDs = append(out.IDs, proprietary(id.Proprietary)...)
	}
	return out
}

func fromSoundRecording(sr ernSoundRecording, path string, names map[string]string) SoundRecording {
	rec := SoundRecording{
		Path:            path,
		Reference:       trim(sr.Reference),
		Type:            trim(sr.Type),
		Supplemental:    trim(sr.Supplemental) == "true",
		Title:           trim(sr.TitleText),
		DisplayArtist:   defaultArtistName(sr.ArtistNames),
		Artists:         artists(sr.Artists, names, path),
		DurationISO:     trim(sr.Duration),
		ParentalWarning: first(sr.Parental),
	}
	title, sub := chooseTitle(sr.Titles)
	if rec.Title == "" {
		rec.Title = title
	}
	rec.Subtitle = sub
	if rec.DurationISO != "" {
		rec.Duration, _ = ParseDuration(rec.DurationISO)
	}
	g := firstGenre(sr.Genres)
	rec.Genre, rec.SubGenre = g.Text, g.SubGenre
	for e, ed := range sr.Editions {
		epath := path + index("SoundRecordingEdition", e, len(sr.Editions))
		if rec.ISRC == "" {
			rec.ISRC = trim(ed.ISRC)
		}
		if rec.PLine == nil && len(ed.PLines) > 0 {
			rec.PLine = &PLine{Year: trim(ed.PLines[0].Year), Text: trim(ed.PLines[0].Text)}
		}
		for t, tech := range ed.Technical {
			tpath := epath + index("TechnicalDetails", t, len(ed.Technical))
			rec.Files = append(rec.Files, files(tech, tpath)...)
			if rec.Preview == nil {
				rec.Preview = preview(tech.Clips)
			}
		}
	}
	return rec
}

func fromOther(kind string, r ernOtherResource, path string) Resource {
	res := Resource{Path: path, Kind: kind, Reference: trim(r.Reference), Type: trim(r.Type)}
	for t, tech := range r.Technical {
		res.Files = append(res.Files, files(tech, path+index("TechnicalDetails", t, len(r.Technical)))...)
	}
	for e, ed := range r.Editions {
		epath := path + index("VideoEdition", e, len(r.Editions))
		if res.ISRC == "" {
			res.ISRC = trim(ed.ISRC)
		}
		for t, tech := range ed.Technical {
			res.Files = append(res.Files, files(tech, epath+index("TechnicalDetails", t, len(ed.Technical)))...)
		}
	}
	return res
}

// files lists the files of one TechnicalDetails, whether under
// DeliveryFile (audio, video) or directly (image, text).
func files(tech ernTechnical, path string) []File {
	var out []File
	add := func(f ernFile, fpath, codec string) {
		file := File{Path: fpath, URI: trim(f.URI), Codec: codec}
		if len(f.HashSums) > 0 {
			file.HashAlgorithm = trim(f.HashSums[0].Algorithm)
			file.Hash = trim(f.HashSums[0].Value)
		}
		out = append(out, file)
	}
	for i, df := range tech.DeliveryFiles {
		dpath := path + index("DeliveryFile", i, len(tech.DeliveryFiles))
		for j, f := range df.Files {
			add(f, dpath+index("File", j, len(df.Files)), trim(df.AudioCodec))
		}
	}
	for j, f := range tech.Files {
		add(f, path+index("File", j, len(tech.Files)), "")
	}
	return out
}

// preview picks the ClipDetails of type Preview, or the only clip given.
func preview(clips []ernClip) *Clip {
	for _, c := range clips {
		t := trim(c.Type)
		if t != "" && t != "Preview" {
			continue
		}
		clip := &Clip{StartRaw: trim(c.StartPoint), DurationISO: trim(c.Duration)}
		if clip.StartRaw != "" {
			clip.Start, _ = parseSeconds(clip.StartRaw)
		}
		if clip.DurationISO != "" {
			clip.Duration, _ = ParseDuration(clip.DurationISO)
		}
		return clip
	}
	return nil
}

func fromRelease(r ernRelease, path string, names map[string]string, kinds map[string]TrackRef) *Release {
	rel := &Release{
		Path:            path,
		Reference:       trim(r.Reference),
		ICPN:            trim(r.ID.ICPN),
		GRid:            trim(r.ID.GRid),
		ProprietaryIDs:  proprietary(r.ID.Proprietary),
		Title:           trim(r.TitleText),
		DisplayArtist:   defaultArtistName(r.ArtistNames),
		Artists:         artists(r.Artists, names, path),
		LabelReference:  defaultLabel(r.Labels),
		ReleaseDate:     first(r.ReleaseDate),
		DurationISO:     trim(r.Duration),
		ParentalWarning: first(r.Parental),
	}
	rel.Tracks, rel.UnknownReferences = trackList(r.Groups, kinds)
	for _, t := range r.Types {
		rel.Types = append(rel.Types, trim(t))
	}
	title, sub := chooseTitle(r.Titles)
	if rel.Title == "" {
		rel.Title = title
	}
	rel.Subtitle = sub
	rel.Label = names[rel.LabelReference]
	if rel.ReleaseDate == "" {
		rel.ReleaseDate = first(r.Original)
	}
	g := firstGenre(r.Genres)
	rel.Genre, rel.SubGenre = g.Text, g.SubGenre
	if len(r.PLines) > 0 {
		rel.PLine = &PLine{Year: trim(r.PLines[0].Year), Text: trim(r.PLines[0].Text)}
	}
	return rel
}

func fromDeal(refs []string, deal ernDeal, path string) Deal {
	out := Deal{Path: path, TakeDown: trim(deal.Terms.TakeDown) == "true"}
	for _, r := range refs {
		out.ReleaseReferences = append(out.ReleaseReferences, trim(r))
	}
	for _, t := range deal.Terms.Territories {
		out.Territories = append(out.Territories, trim(t))
	}
	for _, t := range deal.Terms.Excluded {
		out.ExcludedTerritories = append(out.ExcludedTerritories, trim(t))
	}
	for _, c := range deal.Terms.Commercial {
		out.CommercialModels = append(out.CommercialModels, trim(c))
	}
	for _, u := range deal.Terms.UseTypes {
		out.UseTypes = append(out.UseTypes, trim(u))
	}
	if len(deal.Terms.Validity) > 0 {
		v := deal.Terms.Validity[0]
		out.StartRaw = firstNonEmpty(trim(v.StartDate), trim(v.StartDateTime))
		out.EndRaw = firstNonEmpty(trim(v.EndDate), trim(v.EndDateTime))
		if t, err := parseDealTime(out.StartRaw, false); err == nil && out.StartRaw != "" {
			out.Start = &t
		}
		if t, err := parseDealTime(out.EndRaw, true); err == nil && out.EndRaw != "" {
			out.End = &t
		}
	}
	return out
}

// parseDealTime parses a validity bound: a date (YYYY-MM-DD, taken in UTC)
// or a date-time. A date used as an end is inclusive, so the bound becomes
// the start of the next day.
func parseDealTime(s string, end bool) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		if end {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("invalid date %q: want YYYY-MM-DD or an RFC 3339 date-time", s)
	}
	return t.UTC(), nil
}
