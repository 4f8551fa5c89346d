package workflows

import (
	"go.temporal.io/sdk/workflow"

	music "github.com/openmusic/music"
)

// IngestTrack takes one sound recording through the audio steps:
//
//  1. AnalyzeTrack: is it the catalog's track with the same master
//     (metadata update), otherwise fingerprint it and decide dedup;
//  2. a new recording is encoded (EncodeLadder: loudness, the four Vorbis
//     rungs, the preview, uploads with SHA-256, the master kept);
//     an unchanged one or the same recording as an existing track keeps
//     or shares the existing renditions and audio features and only has
//     its loudness measured (MeasureLoudness), which the album gain needs.
//
// It writes nothing to the catalog: the parent publishes all tracks of a
// release together.
func IngestTrack(ctx workflow.Context, in TrackInput) (TrackResult, error) {
	stage := "analyze"
	if err := workflow.SetQueryHandler(ctx, QueryStage, func() (string, error) { return stage, nil }); err != nil {
		return TrackResult{}, err
	}
	actx := audioOptions(ctx)
	var an Analysis
	if err := workflow.ExecuteActivity(actx, (*Activities).AnalyzeTrack, in).Get(ctx, &an); err != nil {
		return TrackResult{}, err
	}
	res := TrackResult{Track: in.Track, Fingerprint: an.Fingerprint}
	res.Track.Dedup = an.Dedup
	var shared *music.Track
	switch {
	case an.Unchanged != nil:
		res.Status, shared = TrackUnchanged, an.Unchanged
	case an.Link != nil:
		res.Status, shared = TrackLinked, an.Link
		res.Track.MasterKey = an.Link.MasterKey // no second copy of the same audio
	default:
		stage = "encode"
		var enc Encoded
		if err := workflow.ExecuteActivity(actx, (*Activities).EncodeLadder, in).Get(ctx, &enc); err != nil {
			return TrackResult{}, err
		}
		res.Status, res.Renditions, res.Loudness = TrackEncoded, enc.Renditions, enc.Loudness
		res.Track.AudioFeatures = enc.Features
	}
	if shared != nil {
		stage = "loudness"
		if err := workflow.ExecuteActivity(actx, (*Activities).MeasureLoudness, in.SourceKey).Get(ctx, &res.Loudness); err != nil {
			return TrackResult{}, err
		}
		res.Track.AudioFeatures = shared.AudioFeatures // the same audio
		for _, r := range shared.Renditions {
			r.TrackID = in.Track.ID
			res.Renditions = append(res.Renditions, r)
		}
	}
	l := res.Loudness
	res.Track.LoudnessLUFS, res.Track.LoudnessRange = l.Integrated, l.Range
	res.Track.ReplayGain.TrackGain, res.Track.ReplayGain.TrackPeak = l.Gain, l.Peak
	stage = "done"
	return res, nil
}
