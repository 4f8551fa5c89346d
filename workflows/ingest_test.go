package workflows

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/worker"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/audiofeatures"
	"github.com/openmusic/music/blobfile"
	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/fingerprint"
	"github.com/openmusic/music/internal/deliverytest"
	"github.com/openmusic/music/internal/testmusic"
	"github.com/openmusic/music/sqlstore"
)

// ingestRig is a worker's dependencies on real stores in a temp dir.
type ingestRig struct {
	t     *testing.T
	acts  *Activities
	cat   *sqlstore.Store
	n     int
	token string // the rig label's, made on first use
}

func newIngestRig(t *testing.T) *ingestRig {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	blobs, err := filestore.Open(ctx, filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	cat, err := sqlstore.Open(ctx, filepath.Join(dir, "catalog.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cat.Close() })
	ix, err := fingerprint.OpenIndex(ctx, filepath.Join(dir, "fingerprints"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return &ingestRig{t: t, cat: cat, acts: &Activities{
		Blobs: blobs, Catalog: cat, Users: cat, Owners: cat, Reviews: cat, Fingerprints: ix, Scratch: filepath.Join(dir, "scratch"), CPU: NewCPUSlots(2),
	}}
}

// ingest uploads the delivery folder and runs IngestDelivery on it as
// the rig's own label account.
func (r *ingestRig) ingest(dir string) IngestReport {
	r.t.Helper()
	if r.token == "" {
		r.token = r.label("rig-label")
	}
	return r.ingestAs(r.token, dir)
}

// ingestAs runs IngestDelivery with token as the sender's ("" for none).
func (r *ingestRig) ingestAs(token, dir string) IngestReport {
	r.t.Helper()
	r.n++
	prefix := "incoming/test" + string(rune('a'+r.n)) + "/"
	if err := blobfile.PutDir(context.Background(), r.acts.Blobs, dir, prefix); err != nil {
		r.t.Fatal(err)
	}
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	env := suite.NewTestWorkflowEnvironment()
	env.SetTestTimeout(5 * time.Minute) // real encodes on a shared machine
	// A loaded machine (make test runs packages in parallel) can starve
	// the workflow goroutine past the 1 s default.
	env.SetWorkerOptions(worker.Options{DeadlockDetectionTimeout: time.Minute})
	env.RegisterWorkflow(IngestDelivery)
	env.RegisterWorkflow(IngestTrack)
	env.RegisterActivity(r.acts)
	in := IngestDeliveryInput{Prefix: prefix}
	if token != "" {
		in.SenderTokenSHA256 = music.TokenHash(token)
	}
	env.ExecuteWorkflow(IngestDelivery, in)
	if err := env.GetWorkflowError(); err != nil {
		r.t.Fatalf("IngestDelivery: %v", err)
	}
	var rep IngestReport
	if err := env.GetWorkflowResult(&rep); err != nil {
		r.t.Fatal(err)
	}
	if left := r.keys("incoming/"); len(left) != 0 {
		r.t.Errorf("upload not discarded: %v", left)
	}
	return rep
}

// keys lists the blob keys under prefix, sorted.
func (r *ingestRig) keys(prefix string) []string {
	var out []string
	if err := r.acts.Blobs.List(context.Background(), prefix, func(b music.BlobInfo) error {
		out = append(out, b.Key)
		return nil
	}); err != nil {
		r.t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// verifyBlob re-reads a stored object and checks its SHA-256.
func (r *ingestRig) verifyBlob(key, want string) {
	r.t.Helper()
	rc, _, err := r.acts.Blobs.Get(context.Background(), key)
	if err != nil {
		r.t.Fatalf("%s: %v", key, err)
	}
	defer rc.Close()
	got, err := deliverytest.SHA256Reader(rc)
	if err != nil {
		r.t.Fatal(err)
	}
	if got != want {
		r.t.Errorf("%s: stored SHA-256 %s, catalog says %s", key, got, want)
	}
}

func writeDelivery(t *testing.T, rel deliverytest.Release) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := deliverytest.Write(dir, rel); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestIngestPublishesUpdatesAndDedups runs three deliveries of real music
// through the workflow: a new album; an update with the same masters and
// a new title (nothing is re-encoded); and the same audio under a new ISRC on another
// release (same recording, linked, no second copy stored); then a purge.
func TestIngestPublishesUpdatesAndDedups(t *testing.T) {
	cuts := testmusic.Dir(t, "cuts")
	rig := newIngestRig(t)
	ctx := context.Background()
	album := deliverytest.Release{UPC: deliverytest.UPC(1), Tracks: []deliverytest.Track{
		{ISRC: deliverytest.ISRC(26, 1), Title: "Battle", Source: filepath.Join(cuts, "battle-20s.wav"), PreviewStart: "2.5"},
		{ISRC: deliverytest.ISRC(26, 2), Title: "Knolls", Source: filepath.Join(cuts, "knolls-8s.flac")},
	}}
	rep := rig.ingest(writeDelivery(t, album))
	if rep.Status != StatusPublished || len(rep.Tracks) != 2 {
		t.Fatalf("first delivery: %+v", rep)
	}
	rel, err := rig.cat.Release(ctx, rep.ReleaseID, music.Visibility{Territory: "DE"})
	if err != nil {
		t.Fatalf("release not visible to a listener: %v", err)
	}
	if len(rel.Tracks) != 2 || rel.Tracks[0].TrackNumber != 1 || rel.Tracks[1].Title != "Knolls" {
		t.Fatalf("tracks: %+v", rel.Tracks)
	}
	for _, line := range rep.Tracks {
		if line.Status != TrackEncoded || line.Dedup.Decision != music.DedupNew {
			t.Errorf("%s: status %s dedup %+v", line.ISRC, line.Status, line.Dedup)
		}
		tr, err := rig.cat.TrackByISRC(ctx, line.ISRC, music.Visibility{})
		if err != nil {
			t.Fatal(err)
		}
		if len(tr.Renditions) != len(music.Rungs) || tr.ReplayGain.AlbumGain == 0 || tr.LoudnessLUFS > -5 {
			t.Errorf("%s: renditions %d, gain %+v, loudness %.1f", tr.ID, len(tr.Renditions), tr.ReplayGain, tr.LoudnessLUFS)
		}
		if f := tr.AudioFeatures; f == nil || f.Version != audiofeatures.Version || math.Abs(f.Loudness-tr.LoudnessLUFS) > 0.01 || f.SpectralCentroid <= 0 {
			t.Errorf("%s: audio features %+v (loudness %.2f)", tr.ID, f, tr.LoudnessLUFS)
		}
		for _, rd := range tr.Renditions {
			if !strings.HasPrefix(rd.BlobKey, "audio/"+tr.ID+"/") {
				t.Errorf("rendition key %s", rd.BlobKey)
			}
			rig.verifyBlob(rd.BlobKey, rd.SHA256)
		}
		rig.verifyBlob(tr.MasterKey, tr.MasterSHA256)
	}
	if rig.acts.Fingerprints.Len() != 2 {
		t.Errorf("fingerprint index holds %d tracks, want 2", rig.acts.Fingerprints.Len())
	}
	blobsBefore := rig.keys("")

	// An update: a new message with the same masters and a new title.
	// Nothing is re-encoded; the metadata changes.
	update := album
	update.MessageID = "OMTEST-update-2"
	update.Tracks = append([]deliverytest.Track(nil), album.Tracks...)
	update.Tracks[1].Title = "Knolls (Extended Title)"
	again := rig.ingest(writeDelivery(t, update))
	if again.Status != StatusPublished {
		t.Fatalf("re-delivery: %+v", again)
	}
	for _, line := range again.Tracks {
		if line.Status != TrackUnchanged {
			t.Errorf("re-delivered %s: %s, want unchanged", line.ISRC, line.Status)
		}
	}
	if tr, err := rig.cat.TrackByISRC(ctx, album.Tracks[1].ISRC, music.Visibility{}); err != nil || tr.Title != "Knolls (Extended Title)" {
		t.Errorf("metadata update not applied: %v %+v", err, tr)
	}
	if after := rig.keys(""); !equal(after, blobsBefore) {
		t.Errorf("re-delivery changed the blob store:\nbefore %v\nafter  %v", blobsBefore, after)
	}

	// The battle master under a new ISRC on another release.
	dup := deliverytest.Release{UPC: deliverytest.UPC(2), Title: "Compilation", Tracks: []deliverytest.Track{
		{ISRC: deliverytest.ISRC(26, 3), Title: "Battle (compilation)", Source: filepath.Join(cuts, "battle-20s.wav")},
	}}
	drep := rig.ingest(writeDelivery(t, dup))
	if drep.Status != StatusPublished || drep.Tracks[0].Status != TrackLinked {
		t.Fatalf("duplicate delivery: %+v", drep)
	}
	d := drep.Tracks[0].Dedup
	if d.Decision != music.DedupSameRecording || d.MatchedTrackID != "trk-"+deliverytest.ISRC(26, 1) || d.Score < 0.99 {
		t.Errorf("dedup %+v", d)
	}
	tr, err := rig.cat.TrackByISRC(ctx, deliverytest.ISRC(26, 3), music.Visibility{})
	if err != nil {
		t.Fatal(err)
	}
	if orig, err := rig.cat.TrackByISRC(ctx, deliverytest.ISRC(26, 1), music.Visibility{}); err != nil || tr.AudioFeatures == nil || *tr.AudioFeatures != *orig.AudioFeatures {
		t.Errorf("linked track's features %+v, want the original's (%v)", tr.AudioFeatures, err)
	}
	for _, rd := range tr.Renditions {
		if !strings.HasPrefix(rd.BlobKey, "audio/trk-"+deliverytest.ISRC(26, 1)+"/") {
			t.Errorf("linked track stores its own copy: %s", rd.BlobKey)
		}
	}
	if own := rig.keys("audio/" + tr.ID + "/"); len(own) != 0 {
		t.Errorf("linked track uploaded %v", own)
	}
	if after := rig.keys(""); !equal(after, blobsBefore) {
		t.Errorf("a linked track changed the blob store: %v", after)
	}

	// An update with new audio for one track: it is re-encoded to new
	// keys, and the renditions listeners may have cached keep their bytes
	// (they are served as immutable).
	before, err := rig.cat.TrackByISRC(ctx, album.Tracks[1].ISRC, music.Visibility{})
	if err != nil {
		t.Fatal(err)
	}
	remaster := update
	remaster.MessageID = "OMTEST-remaster-3"
	remaster.Tracks = append([]deliverytest.Track(nil), update.Tracks...)
	remaster.Tracks[1].Source = filepath.Join(cuts, "loyalists-20s.wav")
	rrep := rig.ingest(writeDelivery(t, remaster))
	if rrep.Status != StatusPublished || rrep.Tracks[1].Status != TrackEncoded || rrep.Tracks[0].Status != TrackUnchanged {
		t.Fatalf("remaster: %+v", rrep)
	}
	after, err := rig.cat.TrackByISRC(ctx, album.Tracks[1].ISRC, music.Visibility{})
	if err != nil {
		t.Fatal(err)
	}
	oldKeys := map[string]music.Rendition{}
	for _, rd := range before.Renditions {
		oldKeys[rd.Rung] = rd
	}
	for _, rd := range after.Renditions {
		old := oldKeys[rd.Rung]
		if rd.BlobKey == old.BlobKey || rd.SHA256 == old.SHA256 {
			t.Errorf("rung %s: new audio at %s (sha %.12s), before %s (sha %.12s)", rd.Rung, rd.BlobKey, rd.SHA256, old.BlobKey, old.SHA256)
		}
		rig.verifyBlob(rd.BlobKey, rd.SHA256)
		rig.verifyBlob(old.BlobKey, old.SHA256)
	}

	// A PurgeReleaseMessage hides the album from listeners.
	purge := t.TempDir()
	if err := deliverytest.WritePurge(purge, "PADPIDA2026112701X", "OMTEST-purge-1", album.UPC); err != nil {
		t.Fatal(err)
	}
	prep := rig.ingest(purge)
	if prep.Status != StatusPurged || len(prep.Purged) != 1 || prep.Purged[0] != rep.ReleaseID {
		t.Fatalf("purge: %+v", prep)
	}
	if _, err := rig.cat.Release(ctx, rep.ReleaseID, music.Visibility{Territory: "DE"}); music.ErrorCode(err) != music.ENOTFOUND {
		t.Errorf("purged release still visible: %v", err)
	}
}

// TestIngestRejectsBadDeliveries runs each bad fixture through the
// workflow: every one is rejected with its problems and nothing reaches
// the catalog or the blob store.
func TestIngestRejectsBadDeliveries(t *testing.T) {
	rig := newIngestRig(t)
	dirs, _ := filepath.Glob("../ingest/testdata/bad/*")
	big := t.TempDir()
	if err := os.WriteFile(filepath.Join(big, "195999000015.xml"), bigMessage(50<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	dirs = append(dirs, big)
	if len(dirs) < 8 {
		t.Fatalf("found %d bad fixtures, want the 7 in ingest/testdata/bad plus the 50 MB message", len(dirs))
	}
	for _, dir := range dirs {
		rep := rig.ingest(dir)
		if rep.Status != StatusRejected || len(rep.Problems) == 0 {
			t.Errorf("%s: status %s, %d problems", filepath.Base(dir), rep.Status, len(rep.Problems))
			continue
		}
		t.Logf("%s: %d problem(s), first: [%s] %s", filepath.Base(dir), len(rep.Problems), rep.Problems[0].Code, rep.Problems[0].Message)
	}
	for _, table := range []string{"releases", "tracks", "renditions"} {
		if n, err := rig.cat.Count(context.Background(), table); err != nil || n != 0 {
			t.Errorf("%s: %d rows (%v) after rejected deliveries", table, n, err)
		}
	}
	if left := rig.keys(""); len(left) != 0 {
		t.Errorf("blobs left behind: %v", left)
	}
}

// TestIngestFailedTrackPublishesNothing: a track that passes validation
// but cannot be fingerprinted (too short) fails the delivery; the other
// track's uploads are removed and the catalog stays empty.
func TestIngestFailedTrackPublishesNothing(t *testing.T) {
	cuts := testmusic.Dir(t, "cuts")
	rig := newIngestRig(t)
	short := filepath.Join(t.TempDir(), "short.wav")
	writeSilence(t, short, 44100/2) // half a second: below fingerprint.MinDuration
	rel := deliverytest.Release{UPC: deliverytest.UPC(3), Tracks: []deliverytest.Track{
		{ISRC: deliverytest.ISRC(26, 10), Title: "Knolls", Source: filepath.Join(cuts, "knolls-8s.flac")},
		{ISRC: deliverytest.ISRC(26, 11), Title: "Blip", Source: short},
	}}
	rep := rig.ingest(writeDelivery(t, rel))
	if rep.Status != StatusFailed || rep.Tracks[1].Status != TrackFailed || rep.Tracks[1].Error == "" {
		t.Fatalf("report: %+v", rep)
	}
	t.Logf("failure reported as: %s / %s", rep.Reason, rep.Tracks[1].Error)
	if n, _ := rig.cat.Count(context.Background(), "releases"); n != 0 {
		t.Errorf("%d releases after a failed delivery", n)
	}
	if left := rig.keys(""); len(left) != 0 {
		t.Errorf("orphaned blobs: %v", left)
	}
}

func equal(a, b []string) bool { return strings.Join(a, "\n") == strings.Join(b, "\n") }

// bigMessage is a well-formed ERN root padded past the size limit.
func bigMessage(size int) []byte {
	head := []byte(`<?xml version="1.0" encoding="UTF-8"?><ern:NewReleaseMessage xmlns:ern="http://ddex.net/xml/ern/43"><!--`)
	tail := []byte(`--></ern:NewReleaseMessage>`)
	return append(append(head, bytes.Repeat([]byte("x"), size)...), tail...)
}

// writeSilence writes a 16-bit stereo 44.1 kHz WAV of n silent frames.
func writeSilence(t *testing.T, path string, n int) {
	t.Helper()
	data := n * 4
	var b bytes.Buffer
	le := func(v uint32, size int) {
		for i := 0; i < size; i++ {
			b.WriteByte(byte(v >> (8 * i)))
		}
	}
	b.WriteString("RIFF")
	le(uint32(36+data), 4)
	b.WriteString("WAVEfmt ")
	le(16, 4)
	le(1, 2)
	le(2, 2)
	le(44100, 4)
	le(44100*4, 4)
	le(4, 2)
	le(16, 2)
	b.WriteString("data")
	le(uint32(data), 4)
	b.Write(make([]byte, data))
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
