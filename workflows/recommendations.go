package workflows

import (
	"fmt"
	"slices"
	"time"

	"go.temporal.io/sdk/workflow"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/reco"
)

// RecommendationsInput selects a batch run.
type RecommendationsInput struct {
	// Lists to build (reco.ListNames); empty means all of them.
	Lists []string
	// AsOf is the day the lists are for, YYYY-MM-DD; empty means the day
	// the run started. Signals come from the Days (default 90) before it.
	AsOf string
	Days int
	// Buckets and Parts partition the users (DefaultBuckets, DefaultParts).
	Buckets, Parts int
	// Factors and Iterations of ALS (defaults 64 and 15).
	Factors, Iterations int
}

// RecommendationsResult summarises a run.
type RecommendationsResult struct {
	AsOf     string
	Users    int // users with signals
	Items    int
	Signals  int
	Lists    int // lists written to the cache
	ModelKey string
	Train    reco.TrainStats
}

// Recommendations is the recommendation batch, sharded like the royalty
// batch:
//
//  1. RecoExtract, one activity per range of user-hash buckets: the
//     part's users' signals from the lake (plays ≥ 30 s positive, skips
//     weak negatives) and the catalog DB (library saves, own playlists),
//     stored in the blob store;
//  2. RecoTrain: one activity fits the models on all parts (ALS item
//     factors, co-occurrence, playlist2vec, content neighbours,
//     popularity) and stores the model in the blob store;
//  3. RecoLists, one activity per part again: loads the shared model,
//     solves its users' factors, builds their lists and writes them to
//     the cache, each list whole.
//
// Steps 1 and 3 scale with workers; step 2 is one process.
func Recommendations(ctx workflow.Context, in RecommendationsInput) (RecommendationsResult, error) {
	if in.AsOf == "" {
		in.AsOf = workflow.Now(ctx).UTC().Format(time.DateOnly)
	}
	if _, err := time.Parse(time.DateOnly, in.AsOf); err != nil {
		return RecommendationsResult{}, music.Errorf(music.EINVALID, "recommendations as-of %q: want YYYY-MM-DD", in.AsOf)
	}
	if len(in.Lists) == 0 {
		in.Lists = reco.ListNames
	}
	for _, l := range in.Lists {
		if !slices.Contains(reco.ListNames, l) {
			return RecommendationsResult{}, music.Errorf(music.EINVALID, "recommendations: unknown list %q (want one of %v)", l, reco.ListNames)
		}
	}
	buckets := positiveOr(in.Buckets, DefaultBuckets)
	parts := min(positiveOr(in.Parts, DefaultParts), buckets)
	prefix := fmt.Sprintf("reco/runs/%s/%s/", in.AsOf, workflow.GetInfo(ctx).WorkflowExecution.RunID)
	ctx = workflow.WithActivityOptions(ctx, batchActivityOptions)

	extract := make([]workflow.Future, parts)
	for i := range parts {
		p := RecoPart{Prefix: prefix, AsOf: in.AsOf, Days: positiveOr(in.Days, 90), Buckets: buckets, Lo: i * buckets / parts, Hi: (i + 1) * buckets / parts}
		extract[i] = workflow.ExecuteActivity(ctx, (*Activities).RecoExtract, p)
	}
	keys := make([]string, parts)
	for i, f := range extract {
		if err := f.Get(ctx, &keys[i]); err != nil {
			return RecommendationsResult{}, fmt.Errorf("recommendations extract part %d/%d: %w", i+1, parts, err)
		}
	}
	var trained RecoTrained
	if err := workflow.ExecuteActivity(ctx, (*Activities).RecoTrain, RecoTrainRequest{
		Prefix: prefix, AsOf: in.AsOf, PartKeys: keys, Factors: in.Factors, Iterations: in.Iterations,
	}).Get(ctx, &trained); err != nil {
		return RecommendationsResult{}, err
	}
	lists := make([]workflow.Future, parts)
	for i, key := range keys {
		lists[i] = workflow.ExecuteActivity(ctx, (*Activities).RecoLists, RecoListsRequest{
			ModelKey: trained.ModelKey, PartKey: key, AsOf: in.AsOf, Lists: in.Lists,
		})
	}
	res := RecommendationsResult{AsOf: in.AsOf, ModelKey: trained.ModelKey, Train: trained.Stats,
		Users: trained.Stats.Users, Items: trained.Stats.Items, Signals: trained.Stats.Signals}
	for i, f := range lists {
		var n int
		if err := f.Get(ctx, &n); err != nil {
			return res, fmt.Errorf("recommendations lists part %d/%d: %w", i+1, parts, err)
		}
		res.Lists += n
	}
	recordBatch(ctx, "recommendations")
	return res, nil
}
