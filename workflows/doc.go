// Package workflows holds the platform's Temporal workflows and the
// activities they call. Workflows are plain functions that use only
// workflow.* APIs, so they replay deterministically (replay_test.go replays
// recorded histories); activities are methods on Activities, which holds
// the stores, and pass blob keys, never bytes.
//
// Ingest: IngestDelivery (ingest_delivery.go) validates an uploaded DDEX
// delivery (PrepareDelivery), runs one IngestTrack child per recording
// (ingest_track.go: AnalyzeTrack for dedup, EncodeLadder or
// MeasureLoudness) and publishes the release in one catalog transaction
// (PublishRelease). Audio activities take a CPU slot (cpu.go), heartbeat
// every 2 s with their progress, and mark bad input non-retryable.
package workflows

// TaskQueue is the queue every workflow and activity of the platform runs
// on. One queue keeps deployment simple: any worker can do any step.
const TaskQueue = "music"
