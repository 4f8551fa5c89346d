package workflows

import (
	music "github.com/openmusic/music"
)

// Activities holds what the activities need. cmd/musicctl builds one from
// the config and registers it with the worker.
type Activities struct {
	Blobs music.BlobStore
}
