package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/openmusic/music/capacity"
)

// capacityFlags are the settings of `musicctl capacity`: a load, with the
// quantities that take 200M-style values and the lists as typed.
type capacityFlags struct {
	l                                       capacity.Load
	users, dau, songs, concurrent, newSongs capacity.Quantity
	mix, rungs, ratesFile                   string
	asJSON                                  bool
}

func newCapacityCmd() *cobra.Command {
	l := capacity.NotesLoad()
	f := &capacityFlags{l: l, users: capacity.Quantity(l.Users), dau: capacity.Quantity(l.DAU),
		songs: capacity.Quantity(l.Songs), concurrent: capacity.Quantity(l.Concurrent), newSongs: capacity.Quantity(l.NewSongsDaily)}
	cmd := &cobra.Command{
		Use:   "capacity",
		Short: "Plan cores, egress, storage, lake and cost for a load from the measured rates",
		Long: `capacity prints the design notes' capacity table for the given load and,
from this project's measured per-core rates (capacity/rates.json, or
--rates FILE), the cores per tier, CDN egress, storage by tier, the lake's
growth and a monthly cost, each with its arithmetic. The defaults are the
design notes' load; docs/operations.md explains every assumption and
every figure that differs from the notes.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			l := f.l
			l.Users, l.DAU, l.Songs = float64(f.users), float64(f.dau), float64(f.songs)
			l.Concurrent, l.NewSongsDaily = float64(f.concurrent), float64(f.newSongs)
			if err := parseCapacityLists(&l, f.mix, f.rungs); err != nil {
				return err
			}
			return runCapacity(cmd, l, f.ratesFile, f.asJSON)
		},
	}
	f.bind(cmd.Flags())
	return cmd
}

func (f *capacityFlags) bind(fs *pflag.FlagSet) {
	fs.Var(&f.users, "users", "total registered users (200M, 1.5B, 2e8 all work)")
	fs.Var(&f.dau, "dau", "daily active users")
	fs.Var(&f.songs, "songs", "songs in the catalog")
	fs.Var(&f.concurrent, "concurrent", "concurrent listeners at the peak")
	fs.Float64Var(&f.l.PlaysPerUser, "plays-per-user", f.l.PlaysPerUser, "plays per daily active user per day")
	fs.IntVar(&f.l.Regions, "regions", f.l.Regions, "regions serving and storing everything (each sized to survive the loss of one)")
	fs.Float64Var(&f.l.TrackSeconds, "track-seconds", f.l.TrackSeconds, "average track length in seconds (the notes' 5 MB at 256 kbps is 156.25 s)")
	fs.Float64Var(&f.l.StreamKbps, "stream-kbps", f.l.StreamKbps, "the notes' single per-listener bitrate, for the notes' table")
	fs.StringVar(&f.mix, "bitrate-mix", f.l.BitrateMix.String(), "share of listening per rung, KBPS:SHARE,… (shares add up to 1)")
	fs.StringVar(&f.rungs, "rungs", capacity.FormatRungs(f.l.Rungs), "the stored bitrate ladder in kbps")
	fs.Float64Var(&f.l.PreviewSecs, "preview-seconds", f.l.PreviewSecs, "preview length per song")
	fs.Float64Var(&f.l.PreviewKbps, "preview-kbps", f.l.PreviewKbps, "preview bitrate (MP3)")
	fs.Float64Var(&f.l.MasterKbps, "master-kbps", f.l.MasterKbps, "kept masters' bitrate (1411.2 = 16-bit 44.1 kHz stereo; 0 = masters not kept)")
	fs.Float64Var(&f.l.Replication, "replication", f.l.Replication, "copies of every blob the store bills per region")
	fs.Var(&f.newSongs, "new-songs-per-day", "songs ingested per day")
	fs.Float64Var(&f.l.SearchesDaily, "searches-per-user", f.l.SearchesDaily, "searches per daily active user per day")
	fs.Float64Var(&f.l.APIPerPlay, "api-requests-per-play", f.l.APIPerPlay, "API requests per play (track, stream URL, report)")
	fs.Float64Var(&f.l.ReportsPerPly, "reports-per-play", f.l.ReportsPerPly, "playback reports per play (progress reports and retries included)")
	fs.Float64Var(&f.l.CDNHitRatio, "cdn-hit-ratio", f.l.CDNHitRatio, "share of audio bytes the CDN serves from its cache")
	fs.Float64Var(&f.l.Utilisation, "target-utilisation", f.l.Utilisation, "share of each core the online tiers may use at the peak")
	fs.Float64Var(&f.l.BatchHours, "batch-window-hours", f.l.BatchHours, "hours the royalty and recommendation batches may take")
	fs.Float64Var(&f.l.RecoSignals, "reco-signals-per-user", f.l.RecoSignals, "(user, track) signals per DAU in a recommendation training run")
	fs.Float64Var(&f.l.LakeMonths, "lake-retention-months", f.l.LakeMonths, "months of playback events the lake keeps")
	fs.Float64Var(&f.l.Prices.EgressGB, "price-egress-gb", f.l.Prices.EgressGB, "CDN egress, $ per GB")
	fs.Float64Var(&f.l.Prices.StorageGBMon, "price-storage-gb-month", f.l.Prices.StorageGBMon, "blob store and indexes, $ per GB-month")
	fs.Float64Var(&f.l.Prices.LakeGBMon, "price-lake-gb-month", f.l.Prices.LakeGBMon, "lake (infrequent access), $ per GB-month")
	fs.Float64Var(&f.l.Prices.CoreHour, "price-core-hour", f.l.Prices.CoreHour, "compute, $ per core-hour")
	fs.Float64Var(&f.l.Prices.HoursPerMonth, "hours-per-month", f.l.Prices.HoursPerMonth, "hours billed per month")
	fs.StringVar(&f.ratesFile, "rates", "", "rates file in the shape of capacity/rates.json (default: the checked-in one)")
	fs.BoolVar(&f.asJSON, "json", false, "print the report as JSON")
}

func parseCapacityLists(l *capacity.Load, mix, rungs string) error {
	var err error
	if l.BitrateMix, err = capacity.ParseMix(mix); err != nil {
		return fmt.Errorf("--bitrate-mix: %v", err)
	}
	if l.Rungs, err = capacity.ParseRungs(rungs); err != nil {
		return fmt.Errorf("--rungs: %v", err)
	}
	return nil
}

func runCapacity(cmd *cobra.Command, l capacity.Load, ratesFile string, asJSON bool) error {
	if err := l.Validate(); err != nil {
		return err
	}
	rates, err := capacity.DefaultRates()
	if ratesFile != "" {
		rates, err = capacity.LoadRates(ratesFile)
	}
	if err != nil {
		return err
	}
	report := capacity.Plan(l, rates)
	if asJSON {
		enc := json.NewEncoder(cmd.OutOrStdout())
		enc.SetIndent("", "  ")
		return enc.Encode(report)
	}
	return report.WriteText(cmd.OutOrStdout())
}
