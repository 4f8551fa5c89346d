package client

import (
	"context"
	"fmt"

	"github.com/jfreymuth/oggvorbis"
)

// OpenHeld plays the copy of trackID's rung that fb holds, with no
// network: the same decoder, gain and Close as a streamed track. Nothing
// is fetched, so nothing is weighed and the rung never changes.
func OpenHeld(fb Fallback, trackID, rung string) (*Player, error) {
	ra, size, err := fb.Rendition(trackID, rung)
	if err != nil {
		return nil, err
	}
	f := &remoteFile{size: size, trackID: trackID, rung: rung, local: ra}
	dec, err := oggvorbis.NewReader(&seqReader{f: f})
	if err != nil {
		f.close()
		return nil, fmt.Errorf("track %s rung %s: %w", trackID, rung, err)
	}
	return &Player{ctx: context.Background(), tr: Track{ID: trackID}, rung: rung, file: f, dec: dec}, nil
}
