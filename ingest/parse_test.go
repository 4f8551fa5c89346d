package ingest

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// sampleGolden is what a golden file records for one official sample: the
// parsed model and the problems Check finds in it.
type sampleGolden struct {
	Delivery *Delivery `json:"delivery"`
	Problems Problems  `json:"problems"`
}

func TestParseOfficialSamples(t *testing.T) {
	files, err := filepath.Glob("testdata/ern43/*.xml")
	if err != nil || len(files) != 9 {
		t.Fatalf("want the 9 official ERN 4.3 samples in testdata/ern43, got %d (%v)", len(files), err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".xml")
		t.Run(name, func(t *testing.T) {
			in, err := os.Open(f)
			if err != nil {
				t.Fatal(err)
			}
			defer in.Close()
			d, err := Parse(in)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			got, err := json.MarshalIndent(sampleGolden{Delivery: d, Problems: Check(d)}, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "golden", name+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(bytes.TrimSpace(want), bytes.TrimSpace(got)) {
				t.Errorf("parsed %s differs from %s; run go test -run TestParseOfficialSamples -update and review the diff", f, golden)
			}
		})
	}
}

// TestDeliveryJSONRoundTrip: the workflow passes a Delivery through
// Temporal as JSON, so nothing may be lost on the way.
func TestDeliveryJSONRoundTrip(t *testing.T) {
	for _, f := range []string{"testdata/good/" + goodUPC + ".xml", "testdata/ern43/3_MixedMedia.xml", "testdata/messages/purge.xml"} {
		d, err := Parse(strings.NewReader(mustRead(t, f)))
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		var back Delivery
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(d, &back) {
			t.Errorf("%s: delivery changed through JSON", f)
		}
	}
}
