package ingest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	music "github.com/openmusic/music"
)

// Batch is what a directory handed to ingest holds. It follows the DDEX
// file-transfer choreography: a batch folder has one sub-folder per release
// (its message plus resources/) and a BatchComplete_*.xml file that the
// sender writes last to say the upload is finished. A plain folder with one
// message at its top is a batch of one.
type Batch struct {
	Dir        string   // the directory searched
	Plain      bool     // Dir itself is a single delivery folder
	Complete   bool     // ready to ingest: a BatchComplete marker exists, or Plain
	Marker     string   // name of the BatchComplete_*.xml file, if any
	Deliveries []string // delivery folders, absolute, sorted
}

// isMarker reports whether name is a BatchComplete_*.xml marker.
func isMarker(name string) bool {
	return strings.HasPrefix(name, "BatchComplete_") && strings.EqualFold(filepath.Ext(name), ".xml")
}

// isMessageName reports whether name can be a DDEX message file.
func isMessageName(name string) bool {
	return strings.EqualFold(filepath.Ext(name), ".xml") && !isMarker(name) && !strings.HasPrefix(name, ".")
}

// FindDeliveries lists the deliveries under dir and says whether the batch
// is complete. A directory with a message at its top is one delivery; else
// every sub-folder with a message at its top is one. Sub-folders without a
// message are listed too, so that validation reports them rather than
// silently skipping half a batch. An incomplete batch must not be ingested:
// the sender may still be uploading.
func FindDeliveries(ctx context.Context, dir string) (*Batch, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("find deliveries: %w", err)
	}
	entries, err := os.ReadDir(abs)
	if err != nil {
		return nil, music.Errorf(music.EINVALID, "cannot read delivery directory %s: %v", dir, err)
	}
	b := &Batch{Dir: abs}
	var subdirs []string
	messages := 0
	for _, e := range entries {
		switch name := e.Name(); {
		case e.Type().IsRegular() && isMarker(name):
			b.Marker = name
		case !e.IsDir() && isMessageName(name):
			messages++
		case e.IsDir() && name != "resources" && !strings.HasPrefix(name, "."):
			subdirs = append(subdirs, filepath.Join(abs, name))
		}
	}
	if messages > 0 {
		b.Plain, b.Complete = true, true
		b.Deliveries = []string{abs}
		return b, nil
	}
	b.Complete = b.Marker != ""
	sort.Strings(subdirs)
	b.Deliveries = subdirs
	if len(b.Deliveries) == 0 {
		return nil, music.Errorf(music.EINVALID, "%s holds no DDEX message and no release folders", dir)
	}
	return b, nil
}

// findMessage returns the one message file at the top of a delivery
// folder, or a problem saying why there is not exactly one.
func findMessage(dir string) (string, *Problem) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", &Problem{Code: ProblemLayout, Message: fmt.Sprintf("cannot read folder: %v", err)}
	}
	var names []string
	for _, e := range entries {
		switch {
		case !isMessageName(e.Name()) || e.IsDir():
		case !e.Type().IsRegular():
			// A symlinked message could make the parser read any file.
			return "", &Problem{File: e.Name(), Code: ProblemLayout, Message: "the message must be a regular file, not a symlink or device"}
		default:
			names = append(names, e.Name())
		}
	}
	switch len(names) {
	case 1:
		return names[0], nil
	case 0:
		return "", &Problem{Code: ProblemLayout, Message: "no DDEX message (*.xml) at the top of the delivery folder"}
	default:
		return "", &Problem{Code: ProblemLayout, Message: fmt.Sprintf("%d messages in one delivery folder (%s); deliver one release per folder", len(names), strings.Join(names, ", "))}
	}
}
