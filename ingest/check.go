package ingest

import (
	"time"
)

// Check validates a parsed message on its own, without its files: required
// values, identifiers, durations, dates, party references and whether there
// is any audio to ingest. Problems carry XML paths but no file name.
func Check(d *Delivery) Problems {
	var ps Problems
	h := d.Header
	hpath := "/" + d.Kind + "/MessageHeader"
	if h.MessageID == "" {
		ps.add("", hpath+"/MessageId", ProblemMetadata, "MessageId is missing")
	}
	if h.SenderID == "" {
		ps.add("", hpath+"/MessageSender/PartyId", ProblemMetadata, "sender PartyId is missing")
	}
	if h.CreatedAt.IsZero() {
		ps.add("", hpath+"/MessageCreatedDateTime", ProblemMetadata, "MessageCreatedDateTime %q is not an RFC 3339 date-time", h.Created)
	}
	if d.Kind == KindPurgeRelease {
		checkPurge(d, &ps)
		return ps
	}
	parties := map[string]bool{}
	for _, p := range d.Parties {
		parties[p.Reference] = true
	}
	seen := map[string]string{} // normalized ISRC -> path of first use
	for _, sr := range d.SoundRecordings {
		checkRecording(sr, parties, seen, &ps)
	}
	checkRelease(d, parties, &ps)
	for _, deal := range d.Deals {
		checkDeal(deal, &ps)
	}
	return ps
}

func checkRecording(sr SoundRecording, parties map[string]bool, seen map[string]string, ps *Problems) {
	isrcPath := sr.Path + "/SoundRecordingEdition/ResourceId/ISRC"
	switch n, err := NormalizeISRC(sr.ISRC); {
	case sr.ISRC == "" && sr.Supplemental:
		// A supplemental recording (a DJ mix's source) is described, not delivered.
	case sr.ISRC == "":
		ps.add("", isrcPath, ProblemISRC, "sound recording %s has no ISRC", sr.Reference)
	case err != nil:
		ps.add("", isrcPath, ProblemISRC, "%v", err)
	case seen[n] != "":
		ps.add("", isrcPath, ProblemISRC, "ISRC %s is also used by %s", n, seen[n])
	default:
		seen[n] = sr.Path
	}
	if sr.Title == "" {
		ps.add("", sr.Path+"/DisplayTitleText", ProblemMetadata, "sound recording %s has no title", sr.Reference)
	}
	switch {
	case sr.DurationISO == "":
		ps.add("", sr.Path+"/Duration", ProblemMetadata, "sound recording %s has no Duration", sr.Reference)
	case sr.Duration <= 0:
		if _, err := ParseDuration(sr.DurationISO); err != nil {
			ps.add("", sr.Path+"/Duration", ProblemMetadata, "%v", err)
		} else {
			ps.add("", sr.Path+"/Duration", ProblemMetadata, "duration %s is zero", sr.DurationISO)
		}
	}
	if c := sr.Preview; c != nil {
		cpath := sr.Path + "/SoundRecordingEdition/TechnicalDetails/ClipDetails/Timing"
		if _, err := parseSeconds(c.StartRaw); c.StartRaw != "" && err != nil {
			ps.add("", cpath+"/StartPoint", ProblemMetadata, "%v", err)
		} else if sr.Duration > 0 && c.Start >= sr.Duration {
			ps.add("", cpath+"/StartPoint", ProblemMetadata, "preview starts at %s, after the end of the %s recording", c.Start, sr.Duration)
		}
		if _, err := ParseDuration(c.DurationISO); c.DurationISO != "" && err != nil {
			ps.add("", cpath+"/DurationUsed", ProblemMetadata, "%v", err)
		}
	}
	if len(sr.Files) == 0 && !sr.Supplemental {
		ps.add("", sr.Path+"/SoundRecordingEdition/TechnicalDetails", ProblemMetadata, "sound recording %s has no DeliveryFile", sr.Reference)
	}
	for _, a := range sr.Artists {
		if !parties[a.PartyReference] {
			ps.add("", a.Path+"/ArtistPartyReference", ProblemMetadata,
				"display artist %q is not in the PartyList", a.PartyReference)
		}
	}
}

func checkRelease(d *Delivery, parties map[string]bool, ps *Problems) {
	r := d.Release
	if r == nil {
		ps.add("", "/"+d.Kind+"/ReleaseList", ProblemMetadata, "message has no Release")
		if len(d.SoundRecordings) == 0 && countKind(d.OtherResources, "Video") > 0 {
			ps.add("", "/"+d.Kind+"/ResourceList", ProblemVideoOnly, "video-only message: the platform ingests audio only")
		}
		return
	}
	switch {
	case r.ICPN != "":
		if _, err := NormalizeICPN(r.ICPN); err != nil {
			ps.add("", r.Path+"/ReleaseId/ICPN", ProblemICPN, "%v", err)
		}
	case r.GRid == "":
		ps.add("", r.Path+"/ReleaseId", ProblemICPN, "release has neither an ICPN (UPC/EAN) nor a GRid")
	}
	if r.Title == "" {
		ps.add("", r.Path+"/DisplayTitleText", ProblemMetadata, "release has no title")
	}
	if r.ReleaseDate != "" {
		if _, err := time.Parse(time.DateOnly, r.ReleaseDate); err != nil {
			ps.add("", r.Path+"/ReleaseDate", ProblemMetadata, "release date %q is not YYYY-MM-DD", r.ReleaseDate)
		}
	}
	audio, video := 0, 0
	for _, t := range r.Tracks {
		switch t.Kind {
		case "SoundRecording":
			audio++
		case "Video":
			video++
		}
	}
	switch {
	case audio == 0 && (video > 0 || countKind(d.OtherResources, "Video") > 0):
		ps.add("", r.Path+"/ResourceGroup", ProblemVideoOnly,
			"video-only release (%d video(s), no sound recordings): the platform ingests audio only", max(video, countKind(d.OtherResources, "Video")))
	case audio == 0:
		ps.add("", r.Path+"/ResourceGroup", ProblemMetadata, "release lists no sound recordings")
	}
	for _, ref := range r.UnknownReferences {
		ps.add("", r.Path+"/ResourceGroup", ProblemMetadata, "ResourceGroup names resource %q, which the ResourceList does not have", ref)
	}
	placed := map[string]bool{}
	for _, t := range r.Tracks {
		placed[t.Reference] = true
	}
	for _, sr := range d.SoundRecordings {
		if !sr.Supplemental && !placed[sr.Reference] {
			ps.add("", sr.Path, ProblemMetadata, "sound recording %s is not on the release (no ResourceGroup entry)", sr.Reference)
		}
	}
	for _, a := range r.Artists {
		if !parties[a.PartyReference] {
			ps.add("", a.Path+"/ArtistPartyReference", ProblemMetadata,
				"display artist %q is not in the PartyList", a.PartyReference)
		}
	}
	if r.LabelReference != "" && !parties[r.LabelReference] {
		ps.add("", r.Path+"/ReleaseLabelReference", ProblemMetadata, "label %q is not in the PartyList", r.LabelReference)
	}
}

func checkDeal(deal Deal, ps *Problems) {
	vpath := deal.Path + "/DealTerms/ValidityPeriod"
	if deal.StartRaw != "" && deal.Start == nil {
		ps.add("", vpath+"/StartDate", ProblemMetadata, "deal start %q is not a date", deal.StartRaw)
	}
	if deal.EndRaw != "" && deal.End == nil {
		ps.add("", vpath+"/EndDate", ProblemMetadata, "deal end %q is not a date", deal.EndRaw)
	}
	if deal.Start != nil && deal.End != nil && !deal.End.After(*deal.Start) {
		ps.add("", vpath, ProblemMetadata, "deal ends (%s) before it starts (%s)", deal.EndRaw, deal.StartRaw)
	}
	if len(deal.Territories) == 0 {
		ps.add("", deal.Path+"/DealTerms/TerritoryCode", ProblemMetadata, "deal names no territory")
	}
}

func checkPurge(d *Delivery, ps *Problems) {
	if len(d.Purged) == 0 {
		ps.add("", "/"+d.Kind, ProblemMetadata, "PurgeReleaseMessage names no release")
	}
	for _, p := range d.Purged {
		if p.ICPN == "" && p.GRid == "" && p.ISRC == "" && len(p.ProprietaryIDs) == 0 {
			ps.add("", p.Path+"/ReleaseId", ProblemMetadata, "purged release has no identifier")
		}
		if p.ICPN != "" {
			if _, err := NormalizeICPN(p.ICPN); err != nil {
				ps.add("", p.Path+"/ReleaseId/ICPN", ProblemICPN, "%v", err)
			}
		}
	}
}

func countKind(rs []Resource, kind string) int {
	n := 0
	for _, r := range rs {
		if r.Kind == kind {
			n++
		}
	}
	return n
}
