package plays

import (
	"time"

	music "github.com/openmusic/music"
)

// DailyCount is one track's counted streams on one UTC day in one
// territory.
type DailyCount struct {
	TrackID   string `json:"track_id"`
	Date      string `json:"date"` // YYYY-MM-DD
	Territory string `json:"territory"`
	Streams   int64  `json:"streams"`
}

// LedgerRow is one payable (or comparison) amount.
type LedgerRow struct {
	Month        string `json:"month"`
	Model        string `json:"model"`
	Territory    string `json:"territory"`
	TrackID      string `json:"track_id"`
	HolderID     string `json:"holder_id"`
	Role         string `json:"role"`
	Weight       int64  `json:"weight"` // streams (pro rata) or votes (user-centric) of the track in the territory
	AmountMicros int64  `json:"amount_micros"`
}

// CheckPool validates a territory's revenue pool for a month before any
// store keeps it.
func CheckPool(month, territory string, amount Micros) error {
	if _, err := ParseMonth(month); err != nil {
		return err
	}
	if len(territory) != 2 || territory[0] < 'A' || territory[0] > 'Z' || territory[1] < 'A' || territory[1] > 'Z' {
		return music.Errorf(music.EINVALID, "territory %q: want an ISO 3166-1 alpha-2 code", territory)
	}
	if amount < 0 {
		return music.Errorf(music.EINVALID, "pool for %s: negative amount", territory)
	}
	return nil
}

// ParseMonth parses YYYY-MM into the month's first instant, UTC.
func ParseMonth(s string) (time.Time, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return time.Time{}, music.Errorf(music.EINVALID, "month %q: want YYYY-MM", s)
	}
	return t, nil
}
