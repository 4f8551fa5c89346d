package music

import "time"

// Show is a podcast as its feed describes it. Podcasts come from the open
// RSS ecosystem, not from label deliveries: the service polls the feed.
type Show struct {
	ID          string
	FeedURL     string
	GUID        string // podcast:guid, stable across feed moves
	Title       string
	Author      string
	Description string
	ImageURL    string
	Language    string
	Explicit    bool
	// Locked is podcast:locked "yes": the owner forbids other hosting
	// platforms to import the feed.
	Locked bool
}

// Episode is one item of a show's feed.
type Episode struct {
	ID          string
	ShowID      string
	GUID        string // the item's identity within its show
	Title       string
	Description string
	Season      int // 0 when the feed gives none
	Number      int // 0 when the feed gives none
	PublishedAt time.Time
	Duration    time.Duration // as the feed claims; measured at fetch
	Explicit    bool
	Enclosure   Enclosure
	// Chapters and Transcript are Podcasting 2.0 links, "" when absent.
	Chapters   Link
	Transcript Link
}

// Enclosure is an episode's audio file as the feed announces it.
type Enclosure struct {
	URL    string
	Type   string
	Length int64 // bytes the feed claims; 0 when unknown
}

// Link is a URL with its media type.
type Link struct {
	URL  string
	Type string
}
