// Package offline is the device side of offline downloads (#15): a local
// store of encrypted tracks with their wrapped keys and licences, the sync
// that fills and renews it, and playback with no network.
//
// The store is a directory: device.json (the device's X25519 key and
// identity), index.json (what is held), tracks/ (the encrypted objects)
// and plays.json (plays waiting for upload). Every file is replaced by
// write-to-temp, fsync, rename, fsync-directory, and a track enters the
// index only after its verified file is in place, so a sync killed at any
// point leaves a store whose every indexed track plays, and the next sync
// resumes.
package offline
