package plays

// Event is one playback report as the platform keeps it: the client's
// report plus what the server knows at ingest time (the authenticated user,
// the user's territory and account age, the receive time). The JSON names
// are the event log's wire format; the lake stores the same fields as
// Parquet columns of the same names.
//
// Times are Unix milliseconds (UTC).
type Event struct {
	// EventID is the client-chosen idempotency key (the log's message ID).
	EventID string `json:"event_id"`
	// UserID is the authenticated listener; empty means anonymous (a preview
	// or logged-out play), which never counts for royalties.
	UserID string `json:"user_id"`
	// TrackID is the catalog track.
	TrackID string `json:"track_id"`
	// SessionID changes on each device switch; dedup is per session.
	SessionID string `json:"session_id"`
	// DeviceID is the player device.
	DeviceID string `json:"device_id"`
	// PlayedAt is when playback of the track started (client clock, checked
	// against ReceivedAt on ingest). It picks the partition and the month.
	PlayedAt int64 `json:"played_at"`
	// ReceivedAt is when the server accepted the report.
	ReceivedAt int64 `json:"received_at"`
	// DurationListenedMs is how long the track was heard so far.
	DurationListenedMs int64 `json:"duration_listened_ms"`
	// Completed says the track played to its end.
	Completed bool `json:"completed"`
	// Quality is the streamed rendition, e.g. "160kbps".
	Quality string `json:"quality"`
	// Territory is the listener's ISO 3166-1 alpha-2 country at play time;
	// it selects the revenue pool.
	Territory string `json:"territory"`
	// UserCreatedAt is when the listener's account was created (0 for
	// anonymous plays); the fresh-account fraud rule needs it.
	UserCreatedAt int64 `json:"user_created_at"`
}
