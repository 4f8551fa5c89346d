package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// runMusicctl runs the command tree with args and returns its output.
func runMusicctl(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRootCmd()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	return out.String(), err
}

func TestIngestDryRun(t *testing.T) {
	tests := []struct {
		name, dir string
		exit      int // 0: valid
		contains  []string
	}{
		{"good", "../../ingest/testdata/good", 0, []string{
			"UPC 195999000015", `"Two Sines"`, "2 track(s)", "1.01  QZES72600001", "2.01  QZES72600002", "OK: no problems", "valid: ready to ingest",
		}},
		{"bad ISRC", "../../ingest/testdata/bad/bad-isrc", exitInvalidDelivery, []string{
			"2 PROBLEM(S)", "[isrc] 195999000015.xml /NewReleaseMessage/ResourceList/SoundRecording[1]/SoundRecordingEdition/ResourceId/ISRC",
			"SoundRecording[2]/SoundRecordingEdition/ResourceId/ISRC", "rejected: 2 problem(s)",
		}},
		{"external entity", "../../ingest/testdata/bad/external-entity", exitInvalidDelivery, []string{
			"[xml] 195999000015.xml: line 2: DOCTYPE, DTD and ENTITY declarations are not allowed",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := runMusicctl(t, "ingest", "--dry-run", tt.dir)
			if got := exitStatus(err); got != tt.exit {
				t.Fatalf("exit status %d (%v), want %d\n%s", got, err, tt.exit, out)
			}
			for _, s := range tt.contains {
				if !strings.Contains(out, s) {
					t.Errorf("output lacks %q:\n%s", s, out)
				}
			}
		})
	}
}

func TestIngestDryRunJSON(t *testing.T) {
	out, err := runMusicctl(t, "ingest", "--dry-run", "--json", "../../ingest/testdata/bad/dotdot-uri")
	if exitStatus(err) != exitInvalidDelivery {
		t.Fatalf("err = %v", err)
	}
	var res dryRunResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if res.Valid || !res.Complete || res.Problems != 2 || len(res.Deliveries) != 1 {
		t.Fatalf("result = %+v", res)
	}
	d := res.Deliveries[0]
	if d.Summary == nil || d.Summary.UPC != "195999000015" || len(d.Summary.Tracks) != 2 || d.Summary.Tracks[0].TrackID != "trk-QZES72600001" {
		t.Fatalf("summary = %+v", d.Summary)
	}
	if d.Problems[0].Code != "uri" || !strings.HasSuffix(d.Problems[0].Path, "/URI") || d.Problems[1].Code != "unreferenced" {
		t.Fatalf("problems = %+v", d.Problems)
	}
}

// TestIngestNeedsALabelToken: without a label account's token nothing
// is uploaded or started; a listener's token is refused too.
func TestIngestNeedsALabelToken(t *testing.T) {
	data := t.TempDir()
	listener, err := runMusicctl(t, "users", "add", "fan", "--role", "listener", "--data-dir", data)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ token, want string }{
		{"", "--token"},
		{strings.TrimSpace(listener), "label accounts"},
		{"mt_not-a-token", "invalid"},
	} {
		t.Setenv("MUSIC_TOKEN", tc.token)
		_, err := runMusicctl(t, "ingest", "../../ingest/testdata/good", "--data-dir", data, "--temporal-address", "127.0.0.1:1")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("token %q: err = %v, want it to mention %q", tc.token, err, tc.want)
		}
	}
	if m, _ := filepath.Glob(filepath.Join(data, "blobs", "incoming", "*")); len(m) != 0 {
		t.Errorf("uploaded without a label token: %v", m)
	}
}

func TestIngestNamesUnreachableTemporal(t *testing.T) {
	data := t.TempDir()
	token, err := runMusicctl(t, "users", "add", "acme", "--role", "label", "--data-dir", data)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("MUSIC_TOKEN", strings.TrimSpace(token))
	_, err = runMusicctl(t, "ingest", "../../ingest/testdata/good", "--data-dir", data, "--temporal-address", "127.0.0.1:1")
	if err == nil || !strings.Contains(err.Error(), "--temporal-address 127.0.0.1:1") {
		t.Fatalf("err = %v", err)
	}
	if m, _ := filepath.Glob(filepath.Join(data, "blobs", "incoming", "*")); len(m) != 0 {
		t.Errorf("uploaded before Temporal was reachable: %v", m)
	}
}

// exitStatus is the process exit status main would use for err.
func exitStatus(err error) int {
	if err == nil {
		return 0
	}
	return exitCode(err)
}
