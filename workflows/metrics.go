package workflows

import (
	"strings"
	"time"

	"github.com/openmusic/music/encode"
	"github.com/openmusic/music/temporalmetrics"
	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/workflow"
)

// Ingest stages as the stage label of music_ingest_stage_seconds.
const (
	StageValidate    = "validate"
	StageFingerprint = "fingerprint"
	StageEncode      = "encode"
	StagePublish     = "publish"
)

// IngestMetrics times the ingest activities: wall time per stage, and
// the encoder's CPU time per part (each Vorbis rung, the preview, the
// decoder, resampler, loudness meter and feature pass run concurrently,
// so only their CPU time is theirs alone).
type IngestMetrics struct {
	stage *prometheus.HistogramVec
	part  *prometheus.HistogramVec
}

// NewIngestMetrics registers the ingest histograms on reg.
func NewIngestMetrics(reg prometheus.Registerer) (*IngestMetrics, error) {
	m := &IngestMetrics{
		stage: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "music_ingest_stage_seconds", Help: "Wall time of one ingest activity attempt, by stage (validate: a delivery; fingerprint, encode: a track; publish: a release) and outcome.",
			Buckets: prometheus.ExponentialBuckets(0.05, 2, 14),
		}, []string{"stage", "outcome"}),
		part: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "music_ingest_encode_cpu_seconds", Help: "CPU time of one part of a track's encode, by part (vorbis_24, vorbis_96, vorbis_160, vorbis_320, preview, decode, resample, loudness, features).",
			Buckets: prometheus.ExponentialBuckets(0.01, 2, 14),
		}, []string{"part"}),
	}
	for _, c := range []prometheus.Collector{m.stage, m.part} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// observeStage records a stage that began at start; *err is the
// activity's result, read when the deferred call runs. Nil m records
// nothing.
func (m *IngestMetrics) observeStage(stage string, start time.Time, err *error) {
	if m == nil {
		return
	}
	outcome := "ok"
	if *err != nil {
		outcome = "error"
	}
	m.stage.WithLabelValues(stage, outcome).Observe(time.Since(start).Seconds())
}

// observeEncode records the encoder's CPU time per part.
func (m *IngestMetrics) observeEncode(stages encode.StageSeconds) {
	if m == nil {
		return
	}
	for part, s := range stages {
		m.part.WithLabelValues(strings.ToLower(part)).Observe(s)
	}
}

// recordBatch times a batch workflow from its start to now (workflow
// time, so a replay records the same figure, and the SDK's handler does
// not record during replay).
func recordBatch(ctx workflow.Context, batch string) {
	d := workflow.Now(ctx).Sub(workflow.GetInfo(ctx).WorkflowStartTime)
	workflow.GetMetricsHandler(ctx).WithTags(map[string]string{temporalmetrics.BatchTag: batch}).
		Timer(temporalmetrics.BatchDuration).Record(d)
}
