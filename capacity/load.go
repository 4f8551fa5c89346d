package capacity

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Load is what the platform must carry, and the unit prices to cost it.
// NotesLoad gives the design notes' figures; the rest are this project's
// assumptions, each a flag of `musicctl capacity`.
type Load struct {
	Users         float64 `json:"users"`
	DAU           float64 `json:"dau"`
	Songs         float64 `json:"songs"`
	Concurrent    float64 `json:"concurrent"`
	PlaysPerUser  float64 `json:"plays_per_user"`
	Regions       int     `json:"regions"`
	TrackSeconds  float64 `json:"track_seconds"`
	StreamKbps    float64 `json:"stream_kbps"`
	BitrateMix    Mix     `json:"bitrate_mix"`
	Rungs         []int   `json:"rungs_kbps"`
	PreviewSecs   float64 `json:"preview_seconds"`
	PreviewKbps   float64 `json:"preview_kbps"`
	MasterKbps    float64 `json:"master_kbps"`
	Replication   float64 `json:"replication"`
	NewSongsDaily float64 `json:"new_songs_per_day"`
	SearchesDaily float64 `json:"searches_per_user"`
	APIPerPlay    float64 `json:"api_requests_per_play"`
	ReportsPerPly float64 `json:"reports_per_play"`
	CDNHitRatio   float64 `json:"cdn_hit_ratio"`
	Utilisation   float64 `json:"target_utilisation"`
	BatchHours    float64 `json:"batch_window_hours"`
	RecoSignals   float64 `json:"reco_signals_per_user"`
	LakeMonths    float64 `json:"lake_retention_months"`
	Prices        Prices  `json:"prices"`
}

// Prices are unit prices in dollars.
type Prices struct {
	EgressGB      float64 `json:"egress_per_gb"`
	StorageGBMon  float64 `json:"storage_per_gb_month"`
	LakeGBMon     float64 `json:"lake_per_gb_month"`
	CoreHour      float64 `json:"core_hour"`
	HoursPerMonth float64 `json:"hours_per_month"`
}

// NotesLoad is the design notes' load: 500 M users, 200 M DAU, 100 M songs
// of 5 MB at 256 kbps (156.25 s), 50 M concurrent listeners, 10 plays per
// user a day, one region; the other fields are this project's assumptions.
func NotesLoad() Load {
	return Load{
		Users: 500e6, DAU: 200e6, Songs: 100e6, Concurrent: 50e6, PlaysPerUser: 10, Regions: 1,
		TrackSeconds: 156.25, StreamKbps: 256,
		BitrateMix: Mix{{96, 0.1}, {160, 0.6}, {320, 0.3}}, Rungs: []int{24, 96, 160, 320},
		PreviewSecs: 30, PreviewKbps: 128, MasterKbps: 1411.2, Replication: 1,
		NewSongsDaily: 100000, SearchesDaily: 3, APIPerPlay: 3, ReportsPerPly: 1.1,
		CDNHitRatio: 0.95, Utilisation: 0.6, BatchHours: 6, RecoSignals: 40, LakeMonths: 24,
		Prices: Prices{EgressGB: 0.02, StorageGBMon: 0.021, LakeGBMon: 0.0125, CoreHour: 0.04, HoursPerMonth: 730},
	}
}

// MixShare is the share of listening time at one bitrate.
type MixShare struct {
	Kbps  int     `json:"kbps"`
	Share float64 `json:"share"`
}

// Mix is the bitrate mix listeners actually stream, "KBPS:SHARE,…".
type Mix []MixShare

func (m Mix) String() string {
	parts := make([]string, len(m))
	for i, s := range m {
		parts[i] = fmt.Sprintf("%d:%s", s.Kbps, strconv.FormatFloat(s.Share, 'f', -1, 64))
	}
	return strings.Join(parts, ",")
}

// ParseMix reads "96:0.1,160:0.6,320:0.3".
func ParseMix(s string) (Mix, error) {
	var m Mix
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), ":")
		if !ok {
			return nil, fmt.Errorf("%q is not KBPS:SHARE", part)
		}
		kbps, err := strconv.Atoi(k)
		if err != nil || kbps <= 0 {
			return nil, fmt.Errorf("%q: bitrate %q is not a positive whole number of kbps", part, k)
		}
		share, err := strconv.ParseFloat(v, 64)
		if err != nil || share < 0 || share > 1 {
			return nil, fmt.Errorf("%q: share %q is not a number from 0 to 1", part, v)
		}
		m = append(m, MixShare{kbps, share})
	}
	return m, nil
}

// FormatRungs writes rungs the way ParseRungs reads them.
func FormatRungs(rungs []int) string {
	parts := make([]string, len(rungs))
	for i, k := range rungs {
		parts[i] = strconv.Itoa(k)
	}
	return strings.Join(parts, ",")
}

// ParseRungs reads "24,96,160,320".
func ParseRungs(s string) ([]int, error) {
	var rungs []int
	for _, part := range strings.Split(s, ",") {
		kbps, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || kbps <= 0 {
			return nil, fmt.Errorf("%q is not a positive whole number of kbps", part)
		}
		rungs = append(rungs, kbps)
	}
	sort.Ints(rungs)
	return rungs, nil
}

// Validate names the first flag whose value makes no sense.
func (l Load) Validate() error {
	positive := []struct {
		flag string
		v    float64
	}{{"--users", l.Users}, {"--dau", l.DAU}, {"--songs", l.Songs}, {"--concurrent", l.Concurrent},
		{"--plays-per-user", l.PlaysPerUser}, {"--regions", float64(l.Regions)}, {"--track-seconds", l.TrackSeconds},
		{"--stream-kbps", l.StreamKbps}, {"--replication", l.Replication}, {"--api-requests-per-play", l.APIPerPlay},
		{"--reports-per-play", l.ReportsPerPly}, {"--target-utilisation", l.Utilisation}, {"--batch-window-hours", l.BatchHours},
		{"--hours-per-month", l.Prices.HoursPerMonth}}
	for _, p := range positive {
		if !(p.v > 0) || math.IsInf(p.v, 0) {
			return fmt.Errorf("%s must be greater than 0, got %v", p.flag, p.v)
		}
	}
	nonNegative := []struct {
		flag string
		v    float64
	}{{"--preview-seconds", l.PreviewSecs}, {"--preview-kbps", l.PreviewKbps}, {"--master-kbps", l.MasterKbps},
		{"--new-songs-per-day", l.NewSongsDaily}, {"--searches-per-user", l.SearchesDaily}, {"--reco-signals-per-user", l.RecoSignals},
		{"--lake-retention-months", l.LakeMonths}, {"--price-egress-gb", l.Prices.EgressGB}, {"--price-storage-gb-month", l.Prices.StorageGBMon},
		{"--price-lake-gb-month", l.Prices.LakeGBMon}, {"--price-core-hour", l.Prices.CoreHour}}
	for _, p := range nonNegative {
		if !(p.v >= 0) || math.IsInf(p.v, 0) {
			return fmt.Errorf("%s must be 0 or more, got %v", p.flag, p.v)
		}
	}
	return l.validateShares()
}

func (l Load) validateShares() error {
	switch {
	case l.DAU > l.Users:
		return fmt.Errorf("--dau (%s) cannot exceed --users (%s)", Count(l.DAU), Count(l.Users))
	case l.Concurrent > l.Users:
		return fmt.Errorf("--concurrent (%s) cannot exceed --users (%s)", Count(l.Concurrent), Count(l.Users))
	case l.CDNHitRatio < 0 || l.CDNHitRatio > 1:
		return fmt.Errorf("--cdn-hit-ratio must be from 0 to 1, got %v", l.CDNHitRatio)
	case l.Utilisation > 1:
		return fmt.Errorf("--target-utilisation must be at most 1, got %v", l.Utilisation)
	case l.BatchHours > 24:
		return fmt.Errorf("--batch-window-hours must be at most 24 (the batch runs daily), got %v", l.BatchHours)
	case len(l.Rungs) == 0:
		return fmt.Errorf("--rungs: give at least one bitrate")
	case len(l.BitrateMix) == 0:
		return fmt.Errorf("--bitrate-mix: give at least one KBPS:SHARE")
	}
	total := 0.0
	for _, s := range l.BitrateMix {
		if !slices.Contains(l.Rungs, s.Kbps) {
			return fmt.Errorf("--bitrate-mix: %d kbps is not one of --rungs %v", s.Kbps, l.Rungs)
		}
		total += s.Share
	}
	if math.Abs(total-1) > 1e-6 {
		return fmt.Errorf("--bitrate-mix: the shares add up to %v, not 1", total)
	}
	return nil
}
