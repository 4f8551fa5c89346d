// Package ingest reads label deliveries: DDEX ERN 4.3 NewReleaseMessage and
// PurgeReleaseMessage files and the audio beside them. It turns a message
// into the platform's delivery model (Delivery, Release, SoundRecording,
// Deal, …), finds the deliveries in a batch folder (FindDeliveries), and
// validates a delivery folder completely before anything is ingested
// (Validator.Validate), reporting every problem with its file and XML path.
// It also derives the stable IDs the catalog and the IngestDelivery
// workflow use (WorkflowID, ReleaseID, TrackID, ArtistID) and maps a valid
// delivery to catalog records (Delivery.Catalog).
//
// Safety: a message larger than DefaultMaxMessageSize (10 MB) is refused
// without being read whole; every token is scanned before decoding and any
// DOCTYPE, DTD or ENTITY declaration rejects the message; file URIs must be
// relative paths inside the delivery folder (no "..", absolute paths,
// schemes or backslashes) and symlinks may not lead out of it.
//
// Audio is decoded through the AudioProber interface; FFmpegProber is the
// reference implementation on ffmpeg.
//
// Stable IDs (ids.go):
//
//	WorkflowID(sender, messageID)  "ingest:" + escaped sender + ":" + escaped MessageId
//	                               (or "ingest:sha256:<hex>" past 200 bytes)
//	ReleaseID(icpn)                "rel-" + 14-digit GTIN, e.g. rel-00195999000015
//	Release.ID()                   ReleaseID, or "rel-grid-" + GRid without an ICPN
//	TrackID(isrc)                  "trk-" + ISRC, e.g. trk-QZES72600001
//
// Every problem has a Code (ProblemISRC, ProblemHash, …), the file it is
// in relative to the delivery folder, and, inside a message, the XML path.
package ingest
