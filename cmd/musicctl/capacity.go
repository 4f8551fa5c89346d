package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/openmusic/music/capacity"
)

func newCapacityCmd() *cobra.Command {
	l := capacity.NotesLoad()
	users, dau, songs, concurrent, newSongs := capacity.Quantity(l.Users), capacity.Quantity(l.DAU),
		capacity.Quantity(l.Songs), capacity.Quantity(l.Concurrent), capacity.Quantity(l.NewSongsDaily)
	var mix, rungs, ratesFile string
	var asJSON bool
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
			l.Users, l.DAU, l.Songs = float64(users), float64(dau), float64(songs)
			l.Concurrent, l.NewSongsDaily = float64(concurrent), float64(newSongs)
			if err := parseCapacityLists(&l, mix, rungs); err != nil {
				return err
			}
			return runCapacity(cmd, l, ratesFile, asJSON)
		},
	}
	fs := cmd.Flags()
	fs.Var(&users, "users", "total registered users (200M, 1.5B, 2e8 all work)")
	fs.Var(&dau, "dau", "daily active users")
	fs.Var(&songs, "songs", "songs in the catalog")
	fs.Var(&concurrent, "concurrent", "concurrent listeners at the peak")
	fs.Float64Var(&l.PlaysPerUser, "plays-per-user", l.PlaysPerUser, "plays per daily active user per day")
	fs.IntVar(&l.Regions, "regions", l.Regions, "regions serving and storing everything (each sized to survive the loss of one)")
	fs.Float64Var(&l.TrackSeconds, "track-seconds", l.TrackSeconds, "average track length in seconds (the notes' 5 MB at 256 kbps is 156.25 s)")
	fs.Float64Var(&l.StreamKbps, "stream-kbps", l.StreamKbps, "the notes' single per-listener bitrate, for the notes' table")
	fs.StringVar(&mix, "bitrate-mix", l.BitrateMix.String(), "share of listening per rung, KBPS:SHARE,… (shares add up to 1)")
	fs.StringVar(&rungs, "rungs", capacity.FormatRungs(l.Rungs), "the stored bitrate ladder in kbps")
	fs.Float64Var(&l.PreviewSecs, "preview-seconds", l.PreviewSecs, "preview length per song")
	fs.Float64Var(&l.PreviewKbps, "preview-kbps", l.PreviewKbps, "preview bitrate (MP3)")
	fs.Float64Var(&l.MasterKbps, "master-kbps", l.MasterKbps, "kept masters' bitrate (1411.2 = 16-bit 44.1 kHz stereo; 0 = masters not kept)")
	fs.Float64Var(&l.Replication, "replication", l.Replication, "copies of every blob the store bills per region")
	fs.Var(&newSongs, "new-songs-per-day", "songs ingested per day")
	fs.Float64Var(&l.SearchesDaily, "searches-per-user", l.SearchesDaily, "searches per daily active user per day")
	fs.Float64Var(&l.APIPerPlay, "api-requests-per-play", l.APIPerPlay, "API requests per play (track, stream URL, report)")
	fs.Float64Var(&l.ReportsPerPly, "reports-per-play", l.ReportsPerPly, "playback reports per play (progress reports and retries included)")
	fs.Float64Var(&l.CDNHitRatio, "cdn-hit-ratio", l.CDNHitRatio, "share of audio bytes the CDN serves from its cache")
	fs.Float64Var(&l.Utilisation, "target-utilisation", l.Utilisation, "share of each core the online tiers may use at the peak")
	fs.Float64Var(&l.BatchHours, "batch-window-hours", l.BatchHours, "hours the royalty and recommendation batches may take")
	fs.Float64Var(&l.RecoSignals, "reco-signals-per-user", l.RecoSignals, "(user, track) signals per DAU in a recommendation training run")
	fs.Float64Var(&l.LakeMonths, "lake-retention-months", l.LakeMonths, "months of playback events the lake keeps")
	fs.Float64Var(&l.Prices.EgressGB, "price-egress-gb", l.Prices.EgressGB, "CDN egress, $ per GB")
	fs.Float64Var(&l.Prices.StorageGBMon, "price-storage-gb-month", l.Prices.StorageGBMon, "blob store and indexes, $ per GB-month")
	fs.Float64Var(&l.Prices.LakeGBMon, "price-lake-gb-month", l.Prices.LakeGBMon, "lake (infrequent access), $ per GB-month")
	fs.Float64Var(&l.Prices.CoreHour, "price-core-hour", l.Prices.CoreHour, "compute, $ per core-hour")
	fs.Float64Var(&l.Prices.HoursPerMonth, "hours-per-month", l.Prices.HoursPerMonth, "hours billed per month")
	fs.StringVar(&ratesFile, "rates", "", "rates file in the shape of capacity/rates.json (default: the checked-in one)")
	fs.BoolVar(&asJSON, "json", false, "print the report as JSON")
	return cmd
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
