package workflows

import (
	"context"
	"testing"

	"github.com/openmusic/music/fingerprint"
	"github.com/openmusic/music/internal/catalogtest"
)

// TestSyncFingerprintsSkipsBadRows: the index learns every decodable
// catalog fingerprint once; a row that does not decode is reported, not
// fatal.
func TestSyncFingerprintsSkipsBadRows(t *testing.T) {
	rig := newIngestRig(t)
	ctx := context.Background()
	pub := catalogtest.Publication(1, 2)
	items := make([]uint32, 200)
	for i := range items {
		items[i] = uint32(i) * 2654435761
	}
	pub.Fingerprints[0].Fingerprint = fingerprint.Encode(items, fingerprint.Algorithm)
	pub.Fingerprints[1].Fingerprint = "not base64!"
	if err := rig.cat.PutRelease(ctx, pub); err != nil {
		t.Fatal(err)
	}
	added, bad, err := SyncFingerprints(ctx, rig.cat, rig.acts.Fingerprints)
	if err != nil || added != 1 || len(bad) != 1 || bad[0] != pub.Fingerprints[1].TrackID {
		t.Fatalf("added %d, bad %v, err %v", added, bad, err)
	}
	if added, _, err := SyncFingerprints(ctx, rig.cat, rig.acts.Fingerprints); err != nil || added != 0 {
		t.Fatalf("second sync added %d (%v), want 0", added, err)
	}
	if !rig.acts.Fingerprints.Contains(pub.Fingerprints[0].TrackID) {
		t.Error("synced track not in the index")
	}
}
