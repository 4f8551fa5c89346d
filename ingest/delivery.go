package ingest

import (
	"strings"
	"time"
)

// Message kinds: the root element of a DDEX ERN message.
const (
	KindNewRelease   = "NewReleaseMessage"
	KindPurgeRelease = "PurgeReleaseMessage"
)

// Delivery is one parsed DDEX ERN 4.3 message in the platform's own terms:
// what a label sent, independent of the XML it came in. A NewReleaseMessage
// fills Release, SoundRecordings and Deals; a PurgeReleaseMessage fills
// Purged. Raw strings are kept next to parsed values (DurationISO, Created)
// so that Check can report values that did not parse.
type Delivery struct {
	Kind            string           `json:"kind"`
	Profile         string           `json:"profile,omitempty"` // ReleaseProfileVersionId, e.g. "Audio"
	Header          Header           `json:"header"`
	Parties         []Party          `json:"parties,omitempty"`
	SoundRecordings []SoundRecording `json:"sound_recordings,omitempty"`
	OtherResources  []Resource       `json:"other_resources,omitempty"`
	Release         *Release         `json:"release,omitempty"`
	TrackReleases   []TrackRelease   `json:"track_releases,omitempty"`
	Deals           []Deal           `json:"deals,omitempty"`
	Purged          []PurgedRelease  `json:"purged,omitempty"`
}

// Header identifies a message and its sender; sender plus MessageID is
// what makes a delivery unique (see WorkflowID).
type Header struct {
	MessageID   string    `json:"message_id"`
	ThreadID    string    `json:"thread_id,omitempty"`
	SenderID    string    `json:"sender_id"` // DDEX Party ID (DPID) of the sender
	SenderName  string    `json:"sender_name,omitempty"`
	Recipients  []string  `json:"recipients,omitempty"`
	Created     string    `json:"created"`                // as sent
	CreatedAt   time.Time `json:"created_at,omitzero"`    // parsed; zero if Created is invalid
	ControlType string    `json:"control_type,omitempty"` // LiveMessage or TestMessage
}

// Party is an entry of the PartyList: an artist, label or contributor that
// other elements refer to by Reference.
type Party struct {
	Reference string   `json:"reference"`
	Name      string   `json:"name"`
	OtherName []string `json:"other_names,omitempty"` // names in other scripts
	IDs       []string `json:"ids,omitempty"`         // DPID, ISNI or Namespace:ProprietaryId
}

// Artist is a display artist of a recording or release, in credit order.
type Artist struct {
	Sequence       int      `json:"sequence,omitempty"`
	PartyReference string   `json:"party_reference"`
	Name           string   `json:"name"`            // resolved from the PartyList
	Roles          []string `json:"roles,omitempty"` // MainArtist, FeaturedArtist, …
	Path           string   `json:"path"`            // XML path of the DisplayArtist element
}

// PLine is the phonographic copyright line.
type PLine struct {
	Year string `json:"year,omitempty"`
	Text string `json:"text"`
}

// SoundRecording is one audio resource: a future catalog track.
type SoundRecording struct {
	Path            string        `json:"path"` // XML path, for problem reports
	Reference       string        `json:"reference"`
	Type            string        `json:"type,omitempty"`
	Supplemental    bool          `json:"supplemental,omitempty"` // describes a part (e.g. of a DJ mix), delivers no file
	ISRC            string        `json:"isrc"`
	Title           string        `json:"title"`
	Subtitle        string        `json:"subtitle,omitempty"`
	DisplayArtist   string        `json:"display_artist,omitempty"`
	Artists         []Artist      `json:"artists,omitempty"`
	DurationISO     string        `json:"duration_iso,omitempty"`
	Duration        time.Duration `json:"duration"` // zero if DurationISO is absent or invalid
	Files           []File        `json:"files,omitempty"`
	Preview         *Clip         `json:"preview,omitempty"`
	Genre           string        `json:"genre,omitempty"`
	SubGenre        string        `json:"sub_genre,omitempty"`
	ParentalWarning string        `json:"parental_warning,omitempty"`
	PLine           *PLine        `json:"pline,omitempty"`
}

// File is a file a resource points at, relative to the message's folder.
type File struct {
	Path          string `json:"path"` // XML path of the File element
	URI           string `json:"uri"`
	HashAlgorithm string `json:"hash_algorithm,omitempty"` // as sent: MD5, SHA1, SHA256, …
	Hash          string `json:"hash,omitempty"`           // hex, as sent
	Codec         string `json:"codec,omitempty"`          // declared AudioCodecType
	// Resolved is the file's path relative to the delivery folder, set by
	// Validator.Validate once the file is found and safe ("" before).
	Resolved string `json:"resolved,omitempty"`
}

// Clip is the preview window of a recording (ClipDetails).
type Clip struct {
	StartRaw    string        `json:"start_raw"` // StartPoint as sent (seconds)
	Start       time.Duration `json:"start"`
	DurationISO string        `json:"duration_iso,omitempty"`
	Duration    time.Duration `json:"duration,omitempty"`
}

// Resource is a non-audio resource (video, image, text, …), kept so that
// its files count as referenced and video-only releases can be recognised.
type Resource struct {
	Path      string `json:"path"`
	Kind      string `json:"kind"` // Video, Image, Text, SheetMusic, Software
	Reference string `json:"reference"`
	Type      string `json:"type,omitempty"`
	ISRC      string `json:"isrc,omitempty"`
	Files     []File `json:"files,omitempty"`
}

// Release is the main release of a message: the album, EP or single.
type Release struct {
	Path            string     `json:"path"`
	Reference       string     `json:"reference"`
	Types           []string   `json:"types,omitempty"`
	ICPN            string     `json:"icpn,omitempty"` // UPC/EAN as sent
	GRid            string     `json:"grid,omitempty"`
	ProprietaryIDs  []string   `json:"proprietary_ids,omitempty"` // Namespace:Value
	Title           string     `json:"title"`
	Subtitle        string     `json:"subtitle,omitempty"`
	DisplayArtist   string     `json:"display_artist,omitempty"`
	Artists         []Artist   `json:"artists,omitempty"`
	Label           string     `json:"label,omitempty"`
	LabelReference  string     `json:"label_reference,omitempty"`
	ReleaseDate     string     `json:"release_date,omitempty"` // YYYY-MM-DD as sent
	DurationISO     string     `json:"duration_iso,omitempty"`
	Genre           string     `json:"genre,omitempty"`
	SubGenre        string     `json:"sub_genre,omitempty"`
	ParentalWarning string     `json:"parental_warning,omitempty"`
	PLine           *PLine     `json:"pline,omitempty"`
	Tracks          []TrackRef `json:"tracks"`
	// UnknownReferences are ResourceGroup entries naming no resource.
	UnknownReferences []string `json:"unknown_references,omitempty"`
}

// TrackRef places a resource on the release: disc (component) and number,
// both 1-based. Kind is SoundRecording, Video, Image, …
type TrackRef struct {
	Disc      int    `json:"disc"`
	Number    int    `json:"number"`
	Reference string `json:"reference"`
	Kind      string `json:"kind"`
	ISRC      string `json:"isrc,omitempty"`
}

// TrackRelease is a per-track release that deals may refer to.
type TrackRelease struct {
	Reference         string   `json:"reference"`
	ResourceReference string   `json:"resource_reference"`
	ProprietaryIDs    []string `json:"proprietary_ids,omitempty"`
	Label             string   `json:"label,omitempty"`
	Genre             string   `json:"genre,omitempty"`
}

// Deal is one set of commercial terms for one or more releases.
type Deal struct {
	Path                string     `json:"path"`
	ReleaseReferences   []string   `json:"release_references"`
	Territories         []string   `json:"territories,omitempty"` // ISO 3166 or "Worldwide"
	ExcludedTerritories []string   `json:"excluded_territories,omitempty"`
	StartRaw            string     `json:"start_raw,omitempty"`
	EndRaw              string     `json:"end_raw,omitempty"`
	Start               *time.Time `json:"start,omitempty"` // nil: no start date or invalid
	End                 *time.Time `json:"end,omitempty"`   // first instant no longer valid (an EndDate is inclusive); nil: open-ended or invalid
	CommercialModels    []string   `json:"commercial_models,omitempty"`
	UseTypes            []string   `json:"use_types,omitempty"`
	TakeDown            bool       `json:"take_down,omitempty"`
}

// PurgedRelease names a release that a PurgeReleaseMessage withdraws.
type PurgedRelease struct {
	Path           string   `json:"path"`
	ICPN           string   `json:"icpn,omitempty"`
	GRid           string   `json:"grid,omitempty"`
	ISRC           string   `json:"isrc,omitempty"`
	ProprietaryIDs []string `json:"proprietary_ids,omitempty"`
	Title          string   `json:"title,omitempty"`
}

// ActiveAt reports whether the deal's validity period contains t.
func (d Deal) ActiveAt(t time.Time) bool {
	if d.TakeDown {
		return false
	}
	if d.Start != nil && t.Before(*d.Start) {
		return false
	}
	return d.End == nil || t.Before(*d.End)
}

// Covers reports whether the deal applies in territory (an ISO 3166-1
// alpha-2 code): listed, or Worldwide and not excluded.
func (d Deal) Covers(territory string) bool {
	territory = strings.ToUpper(territory)
	for _, x := range d.ExcludedTerritories {
		if strings.EqualFold(x, territory) {
			return false
		}
	}
	for _, x := range d.Territories {
		if strings.EqualFold(x, "Worldwide") || strings.EqualFold(x, territory) {
			return true
		}
	}
	return false
}

// ReleaseDeals returns the deals that name the main release.
func (d *Delivery) ReleaseDeals() []Deal {
	if d.Release == nil {
		return nil
	}
	var out []Deal
	for _, deal := range d.Deals {
		for _, ref := range deal.ReleaseReferences {
			if ref == d.Release.Reference {
				out = append(out, deal)
				break
			}
		}
	}
	return out
}

// AvailableAt reports whether some deal for the main release is active at
// t in territory, or in any territory when territory is "". A release
// whose deals have all ended must be hidden.
func (d *Delivery) AvailableAt(t time.Time, territory string) bool {
	for _, deal := range d.ReleaseDeals() {
		if deal.ActiveAt(t) && (territory == "" || deal.Covers(territory)) {
			return true
		}
	}
	return false
}
