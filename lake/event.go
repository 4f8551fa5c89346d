// Package lake stores playback events as Parquet files in a music.BlobStore,
// laid out Hive-style so DuckDB, Spark and Athena read them as they are:
//
//	lake/playback/date=YYYY-MM-DD/hour=HH/part-<first>-<last>.parquet
//
// <first> and <last> are the log sequence numbers of the batch the file came
// from (zero-padded to 20 digits). A retried flush of the same batch writes
// the same key, so at-least-once delivery never duplicates a row, and a file
// whose range lies inside another file's range in the same partition is
// superseded by it (that is how compaction stays crash-safe; see compact.go).
//
// The writer uses github.com/parquet-go/parquet-go, not
// github.com/xitongsys/parquet-go: the latter measured 30–100× slower for
// this schema and is no longer maintained.
package lake

// Event is one playback report as stored in the lake: the client's report
// plus what the server knows at ingest time (the authenticated user, the
// user's territory and account age, the receive time).
//
// Times are Unix milliseconds (UTC) stored with the Parquet TIMESTAMP
// logical type. String columns with few distinct values per row group are
// dictionary-encoded, which the batch reader exploits to skip per-row string
// work.
type Event struct {
	// EventID is the client-chosen idempotency key (the log's message ID).
	EventID string `parquet:"event_id" json:"event_id"`
	// UserID is the authenticated listener; empty means anonymous (a preview
	// or logged-out play), which never counts for royalties.
	UserID string `parquet:"user_id,dict" json:"user_id"`
	// TrackID is the catalog track.
	TrackID string `parquet:"track_id,dict" json:"track_id"`
	// SessionID changes on each device switch; dedup is per session.
	SessionID string `parquet:"session_id,dict" json:"session_id"`
	// DeviceID is the player device.
	DeviceID string `parquet:"device_id,dict" json:"device_id"`
	// PlayedAt is when playback of the track started (client clock, checked
	// against ReceivedAt on ingest). It picks the partition and the month.
	PlayedAt int64 `parquet:"played_at,timestamp(millisecond)" json:"played_at"`
	// ReceivedAt is when the server accepted the report.
	ReceivedAt int64 `parquet:"received_at,timestamp(millisecond)" json:"received_at"`
	// DurationListenedMs is how long the track was heard so far.
	DurationListenedMs int64 `parquet:"duration_listened_ms" json:"duration_listened_ms"`
	// Completed says the track played to its end.
	Completed bool `parquet:"completed" json:"completed"`
	// Quality is the streamed rendition, e.g. "160kbps".
	Quality string `parquet:"quality,dict" json:"quality"`
	// Territory is the listener's ISO 3166-1 alpha-2 country at play time;
	// it selects the revenue pool.
	Territory string `parquet:"territory,dict" json:"territory"`
	// UserCreatedAt is when the listener's account was created (0 for
	// anonymous plays); the fresh-account fraud rule needs it.
	UserCreatedAt int64 `parquet:"user_created_at,timestamp(millisecond)" json:"user_created_at"`
}

// Column names the batch reader projects; they match the struct tags.
const (
	ColUserID        = "user_id"
	ColTrackID       = "track_id"
	ColSessionID     = "session_id"
	ColPlayedAt      = "played_at"
	ColDuration      = "duration_listened_ms"
	ColCompleted     = "completed"
	ColTerritory     = "territory"
	ColUserCreatedAt = "user_created_at"
)
