package workflows

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/audiofeatures"
	"github.com/openmusic/music/internal/deliverytest"
	"github.com/openmusic/music/internal/testmusic"
)

// TestBackfillAudioFeatures: tracks whose features are missing or from an
// older algorithm are measured again from their kept masters, with the
// figures ingest gives; a track whose master is gone is reported, not
// fatal.
func TestBackfillAudioFeatures(t *testing.T) {
	cuts := testmusic.Dir(t, "cuts")
	rig := newIngestRig(t)
	rig.acts.Features = rig.cat
	ctx := context.Background()
	rel := deliverytest.Release{UPC: deliverytest.UPC(7), Tracks: []deliverytest.Track{
		{ISRC: deliverytest.ISRC(27, 1), Title: "Knolls", Source: filepath.Join(cuts, "knolls-8s.flac")},
		{ISRC: deliverytest.ISRC(27, 2), Title: "Knolls again", Source: filepath.Join(cuts, "loyalists-20s.wav")},
	}}
	if rep := rig.ingest(writeDelivery(t, rel)); rep.Status != StatusPublished {
		t.Fatalf("ingest: %+v", rep)
	}
	want := map[string]music.AudioFeatures{}
	var ids []string
	for _, tr := range rel.Tracks {
		got, err := rig.cat.TrackByISRC(ctx, tr.ISRC, music.Visibility{})
		if err != nil || got.AudioFeatures == nil {
			t.Fatalf("%s: %v, features %v", tr.ISRC, err, got)
		}
		want[got.ID] = *got.AudioFeatures
		ids = append(ids, got.ID)
		// As if measured by an older algorithm.
		if err := rig.cat.SetAudioFeatures(ctx, got.ID, music.AudioFeatures{Version: audiofeatures.Version - 1}); err != nil {
			t.Fatal(err)
		}
	}
	// The second track's master is lost: the backfill reports it.
	lost, _ := rig.cat.Track(ctx, ids[1], music.Visibility{})
	if err := rig.acts.Blobs.Delete(ctx, lost.MasterKey); err != nil {
		t.Fatal(err)
	}
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.SetTestTimeout(2 * time.Minute)
	env.RegisterActivity(rig.acts)
	env.ExecuteWorkflow(BackfillAudioFeatures, BackfillFeaturesInput{PageSize: 1, Parallel: 2})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var res BackfillFeaturesResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if res.Measured != 1 || len(res.Failed) != 1 || res.Failed[0] != ids[1] {
		t.Fatalf("result %+v, want 1 measured and %s failed", res, ids[1])
	}
	got, err := rig.cat.Track(ctx, ids[0], music.Visibility{})
	if err != nil {
		t.Fatal(err)
	}
	if *got.AudioFeatures != want[ids[0]] {
		t.Errorf("backfilled %+v, ingest measured %+v", *got.AudioFeatures, want[ids[0]])
	}
	todo, _, err := rig.cat.FeatureBacklog(ctx, "", audiofeatures.Version, 10)
	if err != nil || len(todo) != 1 || todo[0].ID != ids[1] {
		t.Errorf("backlog after the run: %v %v, want only %s", todo, err, ids[1])
	}
}
