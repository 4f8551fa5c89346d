package ingest

import "time"

// Summary is a short account of a delivery for people and scripts: the
// release, its tracks in order, and the stable IDs the catalog and the
// IngestDelivery workflow will use. IDs are empty when the identifier they
// derive from is invalid (Check reports why).
type Summary struct {
	Kind        string         `json:"kind"`
	MessageID   string         `json:"message_id"`
	Sender      string         `json:"sender"`
	WorkflowID  string         `json:"workflow_id,omitempty"`
	ReleaseID   string         `json:"release_id,omitempty"`
	UPC         string         `json:"upc,omitempty"`
	Title       string         `json:"title,omitempty"`
	Artist      string         `json:"artist,omitempty"`
	Label       string         `json:"label,omitempty"`
	ReleaseDate string         `json:"release_date,omitempty"` // ReleaseDate, else the earliest deal start
	Tracks      []TrackSummary `json:"tracks,omitempty"`
	Purged      []string       `json:"purged,omitempty"` // ICPNs (or other IDs) a purge withdraws
}

// TrackSummary is one track of a Summary.
type TrackSummary struct {
	Disc     int     `json:"disc"`
	Number   int     `json:"number"`
	ISRC     string  `json:"isrc"`
	TrackID  string  `json:"track_id,omitempty"`
	Title    string  `json:"title"`
	Artist   string  `json:"artist,omitempty"`
	Duration float64 `json:"duration_seconds"`
}

// Summary describes the delivery.
func (d *Delivery) Summary() Summary {
	s := Summary{Kind: d.Kind, MessageID: d.Header.MessageID, Sender: d.Header.SenderName}
	if s.Sender == "" {
		s.Sender = d.Header.SenderID
	}
	s.WorkflowID, _ = WorkflowID(d.Header.SenderID, d.Header.MessageID)
	for _, p := range d.Purged {
		s.Purged = append(s.Purged, firstNonEmpty(p.ICPN, p.GRid, p.ISRC, first(p.ProprietaryIDs)))
	}
	r := d.Release
	if r == nil {
		return s
	}
	s.ReleaseID, _ = r.ID()
	s.UPC, s.Title, s.Artist, s.Label, s.ReleaseDate = r.ICPN, r.Title, r.DisplayArtist, r.Label, r.ReleaseDate
	if s.ReleaseDate == "" {
		// No ReleaseDate in the message: the release goes out when its
		// first deal starts.
		for _, deal := range d.ReleaseDeals() {
			if deal.Start != nil && (s.ReleaseDate == "" || deal.Start.Format(time.DateOnly) < s.ReleaseDate) {
				s.ReleaseDate = deal.Start.Format(time.DateOnly)
			}
		}
	}
	recs := map[string]SoundRecording{}
	for _, sr := range d.SoundRecordings {
		recs[sr.Reference] = sr
	}
	for _, t := range r.Tracks {
		sr, ok := recs[t.Reference]
		if !ok {
			continue // videos are not tracks here
		}
		ts := TrackSummary{Disc: t.Disc, Number: t.Number, ISRC: sr.ISRC, Title: sr.Title, Artist: sr.DisplayArtist, Duration: sr.Duration.Seconds()}
		ts.TrackID, _ = TrackID(sr.ISRC)
		s.Tracks = append(s.Tracks, ts)
	}
	return s
}
