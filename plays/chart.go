package plays

// ChartEntry is one chart position.
type ChartEntry struct {
	Rank    int    `json:"rank"`
	TrackID string `json:"track_id"`
	Streams int64  `json:"streams"`
}

// Chart is one day's ranking in one category.
type Chart struct {
	Date     string       `json:"date"` // YYYY-MM-DD (UTC)
	Category string       `json:"category"`
	Entries  []ChartEntry `json:"entries"`
}
