package ingest

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// prober is the real decoder the validation tests use: ffprobe and ffmpeg
// (Debian package ffmpeg, installed by `make deps`).
var prober = FFmpegProber{}

const goodUPC = "195999000015"

// want describes one expected problem: its code, the file it names and
// the end of its XML path ("" when it has none).
type want struct {
	code, file, pathSuffix string
}

// checkProblems asserts that got holds exactly the wanted problems.
func checkProblems(t *testing.T, got Problems, wants []want) {
	t.Helper()
	for _, p := range got {
		t.Logf("problem: [%s] %s", p.Code, p)
	}
	if len(got) != len(wants) {
		t.Fatalf("got %d problems, want %d: %+v", len(got), len(wants), wants)
	}
	used := make([]bool, len(got))
	for _, w := range wants {
		found := false
		for i, p := range got {
			if used[i] || p.Code != w.code || p.File != w.file || !strings.HasSuffix(p.Path, w.pathSuffix) || (w.pathSuffix == "" && p.Path != "") {
				continue
			}
			if p.Message == "" {
				t.Errorf("problem %+v has no message", p)
			}
			used[i], found = true, true
			break
		}
		if !found {
			t.Errorf("missing problem %+v", w)
		}
	}
}

func validate(t *testing.T, v *Validator, dir string) *Report {
	t.Helper()
	if v == nil {
		v = &Validator{Prober: prober}
	}
	rep, err := v.Validate(context.Background(), dir)
	if err != nil {
		t.Fatalf("Validate(%s): %v", dir, err)
	}
	return rep
}

func TestValidateGoodDelivery(t *testing.T) {
	rep := validate(t, nil, "testdata/good")
	checkProblems(t, rep.Problems, nil)
	if err := rep.Problems.Err(); err != nil {
		t.Fatalf("Problems.Err() = %v", err)
	}
	d := rep.Delivery
	if rep.Message != goodUPC+".xml" || d == nil || d.Release == nil {
		t.Fatalf("report: %+v", rep)
	}
	r := d.Release
	if r.ICPN != goodUPC || r.Title != "Two Sines" || r.Label != "Open Music Test Label" || r.ReleaseDate != "2026-12-01" {
		t.Errorf("release = %+v", r)
	}
	wantTracks := []TrackRef{
		{Disc: 1, Number: 1, Reference: "A1", Kind: "SoundRecording", ISRC: "QZES72600001"},
		{Disc: 2, Number: 1, Reference: "A2", Kind: "SoundRecording", ISRC: "QZES72600002"},
	}
	if len(r.Tracks) != 2 || r.Tracks[0] != wantTracks[0] || r.Tracks[1] != wantTracks[1] {
		t.Errorf("tracks = %+v, want %+v", r.Tracks, wantTracks)
	}
	// Validate records where each file was found; a bare URI is found in resources/.
	if got := d.SoundRecordings[1].Files[0]; got.URI != goodUPC+"_01_02.wav" || got.Resolved != "resources/"+goodUPC+"_01_02.wav" {
		t.Errorf("file %+v: want it resolved into resources/", got)
	}
	if got := d.SoundRecordings[0].Files[0].Resolved; got != "resources/"+goodUPC+"_01_01.flac" {
		t.Errorf("first file resolved to %q", got)
	}
	sr := d.SoundRecordings[1]
	if sr.Title != "Second Sine (feat. Square Guest)" || sr.Subtitle != "feat. Square Guest" || sr.Duration != 3*time.Second ||
		sr.ParentalWarning != "Explicit" || sr.Genre != "Electronic" || sr.SubGenre != "Ambient" || sr.PLine == nil ||
		sr.Preview == nil || sr.Preview.Start != time.Second || len(sr.Files) != 1 || sr.Files[0].HashAlgorithm != "SHA256" {
		t.Errorf("second recording = %+v", sr)
	}
	// Display artists come back in credit order with their roles.
	if len(sr.Artists) != 2 || sr.Artists[0].Name != "The Sine Waves" || sr.Artists[0].Roles[0] != "MainArtist" ||
		sr.Artists[1].Name != "Square Guest" || sr.Artists[1].Roles[0] != "FeaturedArtist" {
		t.Errorf("artists = %+v", sr.Artists)
	}
	// Deals: Worldwide except KP, streaming from 2026-12-01; a German
	// download deal ending (inclusively) on 2027-11-30.
	day := func(s string) time.Time { tm, _ := time.Parse(time.DateOnly, s); return tm }
	for _, tc := range []struct {
		at, territory string
		want          bool
	}{
		{"2026-11-30", "FR", false}, {"2026-12-01", "FR", true}, {"2030-01-01", "US", true}, {"2030-01-01", "KP", false},
	} {
		if got := d.AvailableAt(day(tc.at), tc.territory); got != tc.want {
			t.Errorf("AvailableAt(%s, %s) = %v, want %v", tc.at, tc.territory, got, tc.want)
		}
	}
	de := d.Deals[1]
	if !de.ActiveAt(day("2027-11-30").Add(23*time.Hour)) || de.ActiveAt(day("2027-12-01")) || !de.Covers("de") || de.Covers("FR") {
		t.Errorf("download deal %+v: end date must be inclusive, territory DE only", de)
	}
}

// TestValidateBadFixtures runs every committed bad delivery and checks
// that each problem is found, with its file and XML path, and no others.
func TestValidateBadFixtures(t *testing.T) {
	const msg = goodUPC + ".xml"
	const sr1 = "/NewReleaseMessage/ResourceList/SoundRecording[1]"
	const sr2 = "/NewReleaseMessage/ResourceList/SoundRecording[2]"
	const file = "/SoundRecordingEdition/TechnicalDetails/DeliveryFile/File"
	tests := map[string][]want{
		"missing-file":  {{ProblemMissingFile, msg, sr2 + file + "/URI"}},
		"hash-mismatch": {{ProblemHash, "resources/" + goodUPC + "_01_01.flac", sr1 + file + "/HashSum/HashSumValue"}},
		"bad-isrc": {
			{ProblemISRC, msg, sr1 + "/SoundRecordingEdition/ResourceId/ISRC"},
			{ProblemISRC, msg, sr2 + "/SoundRecordingEdition/ResourceId/ISRC"},
		},
		"bad-upc":        {{ProblemICPN, "195999000016.xml", "/NewReleaseMessage/ReleaseList/Release/ReleaseId/ICPN"}},
		"truncated-flac": {{ProblemAudio, "resources/" + goodUPC + "_01_01.flac", sr1 + file}},
		"dotdot-uri": {
			{ProblemURI, msg, sr1 + file + "/URI"},
			{ProblemUnreferenced, "resources/" + goodUPC + "_01_01.flac", ""},
		},
		"external-entity": {{ProblemXML, msg, ""}},
	}
	dirs, err := filepath.Glob("testdata/bad/*")
	if err != nil || len(dirs) != len(tests) {
		t.Fatalf("testdata/bad has %d fixtures, the test knows %d", len(dirs), len(tests))
	}
	for name, wants := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rep := validate(t, nil, filepath.Join("testdata/bad", name))
			checkProblems(t, rep.Problems, wants)
			if rep.Problems.Err() == nil {
				t.Fatal("Problems.Err() = nil for a bad delivery")
			}
		})
	}
}

// copyDir copies a fixture so a test can damage it.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), filepath.Base(src))
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(target)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// editMessage rewrites the good message in dir with replacements.
func editMessage(t *testing.T, dir string, oldNew ...string) {
	t.Helper()
	p := filepath.Join(dir, goodUPC+".xml")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for i := 0; i < len(oldNew); i += 2 {
		if !strings.Contains(s, oldNew[i]) {
			t.Fatalf("message has no %q", oldNew[i])
		}
		s = strings.Replace(s, oldNew[i], oldNew[i+1], 1)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestValidateEdits(t *testing.T) {
	const msg = goodUPC + ".xml"
	const sr1 = "/NewReleaseMessage/ResourceList/SoundRecording[1]"
	const sr2 = "/NewReleaseMessage/ResourceList/SoundRecording[2]"
	flac := "resources/" + goodUPC + "_01_01.flac"
	wav := "resources/" + goodUPC + "_01_02.wav"
	tests := []struct {
		name  string
		edit  func(t *testing.T, dir string)
		v     *Validator
		wants []want
	}{
		{"declared duration off by more than 2 s", func(t *testing.T, dir string) {
			editMessage(t, dir, "<Duration>PT3S</Duration>", "<Duration>PT5.5S</Duration>")
		}, nil, []want{{ProblemDuration, flac, sr1 + "/Duration"}}},
		{"declared duration within 2 s", func(t *testing.T, dir string) {
			editMessage(t, dir, "<Duration>PT3S</Duration>", "<Duration>PT4.9S</Duration>")
		}, nil, nil},
		{"unsupported codec", nil, &Validator{Prober: prober, Codecs: []string{"flac"}},
			[]want{{ProblemAudio, wav, sr2 + "/SoundRecordingEdition/TechnicalDetails/DeliveryFile/File"}}},
		{"unreferenced extra file", func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, "resources", "notes.txt"), []byte("x"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, nil, []want{{ProblemUnreferenced, "resources/notes.txt", ""}}},
		{"symlink leaving the folder", func(t *testing.T, dir string) {
			outside := filepath.Join(t.TempDir(), "outside.flac")
			if err := os.Rename(filepath.Join(dir, flac), outside); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(outside, filepath.Join(dir, flac)); err != nil {
				t.Fatal(err)
			}
		}, nil, []want{
			{ProblemURI, msg, sr1 + "/SoundRecordingEdition/TechnicalDetails/DeliveryFile/File/URI"},
			{ProblemUnreferenced, flac, ""},
		}},
		{"symlink inside the folder is fine", func(t *testing.T, dir string) {
			if err := os.Rename(filepath.Join(dir, flac), filepath.Join(dir, "resources", "real.flac")); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink("real.flac", filepath.Join(dir, flac)); err != nil {
				t.Fatal(err)
			}
			// real.flac itself is then not named by the message.
		}, nil, []want{{ProblemUnreferenced, "resources/real.flac", ""}}},
		{"unsupported hash algorithm and missing hash", func(t *testing.T, dir string) {
			editMessage(t, dir, "<Algorithm>SHA1</Algorithm>", "<Algorithm>CRC32</Algorithm>",
				"<HashSum><Algorithm>SHA256</Algorithm>", "<Ignored><Algorithm>SHA256</Algorithm>",
				"</HashSumValue></HashSum>\n                  </File>\n               </DeliveryFile>\n               <ClipDetails>\n                  <TechnicalResourceDetailsReference>T2C",
				"</HashSumValue></Ignored>\n                  </File>\n               </DeliveryFile>\n               <ClipDetails>\n                  <TechnicalResourceDetailsReference>T2C")
		}, nil, []want{
			{ProblemHash, "resources/" + goodUPC + ".jpg", "/Image[1]/TechnicalDetails/File/HashSum/Algorithm"},
			{ProblemHash, msg, sr2 + "/SoundRecordingEdition/TechnicalDetails/DeliveryFile/File"},
		}},
		{"every kind of problem at once", func(t *testing.T, dir string) {
			editMessage(t, dir,
				"<ISRC>QZES72600001</ISRC>", "<ISRC>QZES7260001</ISRC>",
				"<ICPN>195999000015</ICPN>", "<ICPN>195999000014</ICPN>",
				"<Duration>PT3S</Duration>", "<Duration>PT9S</Duration>",
				"<URI>195999000015_01_02.wav</URI>", "<URI>/srv/195999000015_01_02.wav</URI>",
				"<URI>resources/195999000015.jpg</URI>", "<URI>resources/cover.jpg</URI>",
				"<ArtistPartyReference>PGuest</ArtistPartyReference>", "<ArtistPartyReference>PNobody</ArtistPartyReference>",
				"<StartDate>2026-12-01</StartDate><EndDate>2027-11-30</EndDate>", "<StartDate>2026-12-01</StartDate><EndDate>2027-13-30</EndDate>")
			f, err := os.OpenFile(filepath.Join(dir, flac), os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.Write([]byte("tail"))
			f.Close()
		}, nil, []want{
			{ProblemISRC, msg, sr1 + "/SoundRecordingEdition/ResourceId/ISRC"},
			{ProblemICPN, msg, "/Release/ReleaseId/ICPN"},
			{ProblemMetadata, msg, sr2 + "/DisplayArtist[1]/ArtistPartyReference"},
			{ProblemMetadata, msg, "/DealList/ReleaseDeal[1]/Deal[2]/DealTerms/ValidityPeriod/EndDate"},
			{ProblemURI, msg, sr2 + "/SoundRecordingEdition/TechnicalDetails/DeliveryFile/File/URI"},
			{ProblemMissingFile, msg, "/Image[1]/TechnicalDetails/File/URI"},
			{ProblemHash, flac, sr1 + "/SoundRecordingEdition/TechnicalDetails/DeliveryFile/File/HashSum/HashSumValue"},
			{ProblemDuration, flac, sr1 + "/Duration"},
			{ProblemUnreferenced, wav, ""},
			{ProblemUnreferenced, "resources/" + goodUPC + ".jpg", ""},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := copyDir(t, "testdata/good")
			if tt.edit != nil {
				tt.edit(t, dir)
			}
			checkProblems(t, validate(t, tt.v, dir).Problems, tt.wants)
		})
	}
}
