// Package natslog is the durable playback event log on NATS JetStream:
// the HTTP layer appends validated plays.Events (Log.Append, acknowledged
// only once the stream has stored them), and the lake writer
// (Log.RunLakeWriter) drains them into Parquet files in the blob store.
//
// Exactly-once into the lake is built from two at-least-once halves:
//
//   - Clients retry a report with the same event_id; the stream's
//     message-ID deduplication (Nats-Msg-Id = MsgID(user, event_id), so
//     one user's event_ids never suppress another's plays; window
//     DuplicateWindow) stores it once.
//   - The lake writer acknowledges a batch only after its Parquet files are
//     in the blob store. A crash before the ack replays the batch from a
//     fresh consumer at the ack floor, and it is rewritten under the same
//     keys (lake.FileKey names a file by the batch's stream-sequence
//     range), so nothing is lost or doubled.
//
// One process at a time writes a stream's lake: the writer holds a lease
// in a JetStream key-value bucket (LeaseTTL), except with
// WriterOptions.Exclusive, when nothing else can reach the stream.
// Messages that are not events go to DeadLetterPrefix in the blob store.
//
// `musicctl up` embeds a nats-server (StartEmbedded) that stores the
// stream under the data dir; --nats-url points every process at a NATS
// cluster instead.
package natslog
