package plays

import (
	"time"

	music "github.com/openmusic/music"
)

// SettledMonth is one version of a month's settlement as the catalog DB
// keeps it. A month is never silently settled twice: another run needs
// force, and the ledger it replaces is kept under its version.
type SettledMonth struct {
	Month     string
	Version   int
	RunID     string // the run that settled it; "" from before versions were kept
	Forced    bool
	SettledAt time.Time
}

// CheckResettle is nil when the run runID may settle the month cur
// describes: it was never settled, the same run settled it (a retry), or
// force is set. Otherwise it is ECONFLICT naming --force.
func CheckResettle(cur SettledMonth, settled bool, runID string, force bool) error {
	if !settled || force || (cur.RunID != "" && cur.RunID == runID) {
		return nil
	}
	when := "before versions were kept"
	if !cur.SettledAt.IsZero() {
		when = "at " + cur.SettledAt.Format(time.RFC3339)
	}
	return music.Errorf(music.ECONFLICT, "royalty %s is already settled (version %d, %s); settling it again needs --force, which keeps that ledger as version %d",
		cur.Month, cur.Version, when, cur.Version)
}
