package workflows

import (
	"context"
	"errors"
	"fmt"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/openmusic/music/reco"
)

// Schedules of the batches: the daily charts and popularity shortly after
// midnight UTC (the lake writer flushes within seconds, so yesterday is
// complete), and the royalty month on the 2nd, leaving a day for late
// offline reports and for ops to set the month's pools. The recommendation lists follow
// the product: Discover Weekly on Mondays, Release Radar on Fridays, the
// Daily Mixes every day, each after popularity has been refreshed.
var Schedules = []struct {
	ID, Cron string
	Workflow any
	Args     []any
}{
	{"music-rankings-daily", "20 0 * * *", Rankings, []any{RankingsInput{}}},
	{"music-popularity-daily", "40 0 * * *", Popularity, []any{PopularityInput{}}},
	{"music-reco-discover-weekly", "0 4 * * 1", Recommendations, []any{RecommendationsInput{Lists: []string{reco.ListDiscoverWeekly}}}},
	{"music-reco-daily-mix", "0 5 * * *", Recommendations, []any{RecommendationsInput{Lists: []string{reco.ListDailyMix}}}},
	{"music-reco-release-radar", "0 4 * * 5", Recommendations, []any{RecommendationsInput{Lists: []string{reco.ListReleaseRadar}}}},
	// Through ScheduledRoyaltyMonth, so a month's scheduled run and a
	// manual `royalty run` of it are one run (RoyaltyMonthID).
	{"music-royalty-monthly", "0 3 2 * *", ScheduledRoyaltyMonth, []any{RoyaltyMonthInput{}}},
}

// EnsureSchedules creates the batch schedules if they do not exist yet; an
// existing schedule is left as it is (ops may have paused or changed it).
func EnsureSchedules(ctx context.Context, c client.Client) error {
	for _, s := range Schedules {
		_, err := c.ScheduleClient().Create(ctx, client.ScheduleOptions{
			ID:   s.ID,
			Spec: client.ScheduleSpec{CronExpressions: []string{s.Cron}},
			Action: &client.ScheduleWorkflowAction{
				ID:        s.ID,
				Workflow:  s.Workflow,
				Args:      s.Args,
				TaskQueue: TaskQueue,
			},
		})
		if err != nil && !errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
			return fmt.Errorf("temporal schedule %s: %w", s.ID, err)
		}
	}
	return nil
}
