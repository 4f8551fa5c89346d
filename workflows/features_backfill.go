package workflows

import (
	"context"
	"errors"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/audiofeatures"
	"github.com/openmusic/music/encode"
)

// FeatureStore is where audio features live (sqlstore.Store implements it).
type FeatureStore interface {
	SetAudioFeatures(ctx context.Context, trackID string, f music.AudioFeatures) error
	FeatureBacklog(ctx context.Context, afterID string, version, limit int) (todo []music.Track, last string, err error)
}

// BackfillFeaturesInput resumes a backfill; the zero value starts one.
type BackfillFeaturesInput struct {
	After    string // last track ID already scanned
	PageSize int    // tracks scanned per page (default 200)
	Parallel int    // measurements in flight (default 4)
	Measured int    // carried over ContinueAsNew
	Failed   []string
}

// BackfillFeaturesResult is what a finished backfill did.
type BackfillFeaturesResult struct {
	Measured int
	Failed   []string `json:",omitempty"` // tracks whose master would not decode
}

// FeaturePage is one page of the backlog.
type FeaturePage struct {
	Todo []music.Track // ID and MasterKey only
	Last string        // "" when the catalog is exhausted
}

// backfillPagesPerRun bounds one run's history; the rest continues as new.
const backfillPagesPerRun = 50

// BackfillAudioFeatures measures the audio features of every track that
// has a master but no features of the current audiofeatures.Version
// (tracks ingested before features existed, or by an older algorithm),
// page by page in track ID order. A master that will not decode is
// recorded in Failed and skipped; running it again resumes where it is.
func BackfillAudioFeatures(ctx workflow.Context, in BackfillFeaturesInput) (BackfillFeaturesResult, error) {
	in.PageSize, in.Parallel = positiveOr(in.PageSize, 200), positiveOr(in.Parallel, 4)
	pctx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: time.Minute})
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Minute,
		HeartbeatTimeout:    time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{MaximumAttempts: 3, NonRetryableErrorTypes: []string{music.EINVALID}},
	})
	for range backfillPagesPerRun {
		var page FeaturePage
		if err := workflow.ExecuteActivity(pctx, (*Activities).FeatureBacklogPage, in.After, in.PageSize).Get(ctx, &page); err != nil {
			return BackfillFeaturesResult{}, err
		}
		for i := 0; i < len(page.Todo); i += in.Parallel {
			batch := page.Todo[i:min(i+in.Parallel, len(page.Todo))]
			futures := make([]workflow.Future, len(batch))
			for j, t := range batch {
				futures[j] = workflow.ExecuteActivity(actx, (*Activities).MeasureAudioFeatures, t.ID, t.MasterKey)
			}
			for j, f := range futures {
				if err := f.Get(ctx, nil); err != nil {
					if isPermanent(err) {
						in.Failed = append(in.Failed, batch[j].ID)
						continue
					}
					return BackfillFeaturesResult{}, err
				}
				in.Measured++
			}
		}
		if page.Last == "" {
			return BackfillFeaturesResult{Measured: in.Measured, Failed: in.Failed}, nil
		}
		in.After = page.Last
	}
	return BackfillFeaturesResult{}, workflow.NewContinueAsNewError(ctx, BackfillAudioFeatures, in)
}

// FeatureBacklogPage lists one page of tracks that need features.
func (a *Activities) FeatureBacklogPage(ctx context.Context, after string, limit int) (FeaturePage, error) {
	todo, last, err := a.Features.FeatureBacklog(ctx, after, audiofeatures.Version, limit)
	if err != nil {
		return FeaturePage{}, err
	}
	for i := range todo {
		todo[i] = music.Track{ID: todo[i].ID, MasterKey: todo[i].MasterKey}
	}
	return FeaturePage{Todo: todo, Last: last}, nil
}

// MeasureAudioFeatures decodes a track's kept master once, measuring its
// loudness and features together, and stores the features.
func (a *Activities) MeasureAudioFeatures(ctx context.Context, trackID, masterKey string) error {
	var f music.AudioFeatures
	err := a.withMaster(ctx, "features", masterKey, func(src, _ string, _ func(Heartbeat)) error {
		var err error
		_, f, err = encode.AnalyzeFeatures(ctx, src)
		return permanent(err)
	})
	if err != nil {
		return err
	}
	return a.Features.SetAudioFeatures(ctx, trackID, f)
}

// isPermanent reports an activity failure that retrying cannot fix (bad
// or missing input, see permanent).
func isPermanent(err error) bool {
	var app *temporal.ApplicationError
	return errors.As(err, &app) && app.NonRetryable()
}
