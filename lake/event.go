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

// row is a plays.Event as a Parquet row: the same fields, with the column
// names and encodings of the lake's files. Times are stored with the
// Parquet TIMESTAMP logical type. String columns with few distinct values
// per row group are dictionary-encoded, which the batch reader exploits to
// skip per-row string work. Go converts between the two types because only
// the tags differ.
type row struct {
	EventID            string `parquet:"event_id"`
	UserID             string `parquet:"user_id,dict"`
	TrackID            string `parquet:"track_id,dict"`
	SessionID          string `parquet:"session_id,dict"`
	DeviceID           string `parquet:"device_id,dict"`
	PlayedAt           int64  `parquet:"played_at,timestamp(millisecond)"`
	ReceivedAt         int64  `parquet:"received_at,timestamp(millisecond)"`
	DurationListenedMs int64  `parquet:"duration_listened_ms"`
	Completed          bool   `parquet:"completed"`
	Quality            string `parquet:"quality,dict"`
	Territory          string `parquet:"territory,dict"`
	UserCreatedAt      int64  `parquet:"user_created_at,timestamp(millisecond)"`
}

// Column names the batch reader projects; they match row's tags.
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
