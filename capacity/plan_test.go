package capacity

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func notesReport(t *testing.T) Report {
	t.Helper()
	rates, err := DefaultRates()
	if err != nil {
		t.Fatal(err)
	}
	l := NotesLoad()
	if err := l.Validate(); err != nil {
		t.Fatal(err)
	}
	return Plan(l, rates)
}

func find(t *testing.T, lines []Line, name string) Line {
	t.Helper()
	for _, ln := range lines {
		if ln.Name == name {
			return ln
		}
	}
	t.Fatalf("no line %q", name)
	return Line{}
}

// TestNotesTableReproduced checks the design notes' table: 5 MB songs,
// 500 TB of music, 12.8 Tbps, 2 B plays a day and about 23 k streams/s.
func TestNotesTableReproduced(t *testing.T) {
	r := notesReport(t)
	want := []struct {
		name  string
		value float64
		shown string
	}{
		{"avg song size", 5e6, "5 MB"},
		{"total music storage", 500e12, "500 TB"},
		{"bandwidth", 12.8e12, "12.8 Tbps"},
		{"songs played / day", 2e9, "2B"},
		{"streams / s", 2e9 / 86400, "23.1k"},
	}
	for _, w := range want {
		got := find(t, r.NotesTable, w.name)
		if math.Abs(got.Value-w.value) > 1e-9*w.value || got.Shown != w.shown {
			t.Errorf("%s = %v (%q), want %v (%q)", w.name, got.Value, got.Shown, w.value, w.shown)
		}
	}
	if a := find(t, r.NotesTable, "total music storage").Arithmetic; a != "100M × 5 MB" {
		t.Errorf("storage arithmetic %q, want the notes' 100M × 5 MB", a)
	}
}

// TestPlanFollowsTheRates checks that the tiers come from the rates file:
// doubling the encode rate's cost doubles the encode tier.
func TestPlanFollowsTheRates(t *testing.T) {
	rates, err := DefaultRates()
	if err != nil {
		t.Fatal(err)
	}
	l := NotesLoad()
	l.NewSongsDaily = 1e7
	before := find(t, Plan(l, rates).Cores, "encode").Value
	rates.byName[rateEncode] *= 2
	after := find(t, Plan(l, rates).Cores, "encode").Value
	if math.Abs(after-2*before) > 1 {
		t.Errorf("encode cores %v then %v with twice the cost per second of audio", before, after)
	}
	want := math.Ceil(1e7 * 156.25 / 86400 * rates.get(rateEncode) / 0.6)
	if after != want {
		t.Errorf("encode cores %v, want %v", after, want)
	}
}

func TestRegionsSurviveTheLossOfOne(t *testing.T) {
	rates, _ := DefaultRates()
	l := NotesLoad()
	l.Regions = 3
	cores := Plan(l, rates).Cores
	one := cores[len(cores)-2].Value
	all := cores[len(cores)-1]
	if all.Value != math.Ceil(one*3/2) || !strings.Contains(all.Name, "3 regions") {
		t.Errorf("3 regions: %v (%q), want ceil(%v × 3 ÷ 2)", all.Value, all.Name, one)
	}
	blobs := find(t, Plan(l, rates).Storage, "blob store, all copies").Value
	l.Regions = 1
	if one := find(t, Plan(l, rates).Storage, "blob store, all copies").Value; math.Abs(blobs-3*one) > 1 {
		t.Errorf("blobs over 3 regions %v, want 3 × %v", blobs, one)
	}
}

func TestJSONShape(t *testing.T) {
	b, err := json.Marshal(notesReport(t))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]json.RawMessage
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"load", "rates", "notes_table", "traffic", "cores", "egress", "storage", "lake", "monthly_cost"} {
		if _, ok := got[key]; !ok {
			t.Errorf("JSON has no %q", key)
		}
	}
	var lines []map[string]any
	if err := json.Unmarshal(got["cores"], &lines); err != nil {
		t.Fatal(err)
	}
	for _, ln := range lines {
		for _, k := range []string{"name", "arithmetic", "value", "unit", "shown"} {
			if _, ok := ln[k]; !ok {
				t.Errorf("core line %v has no %q", ln, k)
			}
		}
	}
}

func TestBadLoad(t *testing.T) {
	cases := []struct {
		edit func(*Load)
		want string
	}{
		{func(l *Load) { l.DAU = -1 }, "--dau must be greater than 0"},
		{func(l *Load) { l.DAU = 600e6 }, "--dau (600M) cannot exceed --users (500M)"},
		{func(l *Load) { l.CDNHitRatio = 1.5 }, "--cdn-hit-ratio must be from 0 to 1"},
		{func(l *Load) { l.BitrateMix = Mix{{160, 0.5}} }, "--bitrate-mix: the shares add up to 0.5"},
		{func(l *Load) { l.BitrateMix = Mix{{128, 1}} }, "--bitrate-mix: 128 kbps is not one of --rungs"},
		{func(l *Load) { l.Regions = 0 }, "--regions must be greater than 0"},
		{func(l *Load) { l.Prices.EgressGB = -0.01 }, "--price-egress-gb must be 0 or more"},
	}
	for _, c := range cases {
		l := NotesLoad()
		c.edit(&l)
		err := l.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v, want %q", err, c.want)
		}
	}
	for in, want := range map[string]string{"160": "not KBPS:SHARE", "x:1": `bitrate "x"`, "160:2": `share "2"`} {
		if _, err := ParseMix(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseMix(%q) = %v, want %q", in, err, want)
		}
	}
	var q Quantity
	if err := q.Set("lots"); err == nil || !strings.Contains(err.Error(), `"lots" is not a number`) {
		t.Errorf("Quantity.Set(lots) = %v", err)
	}
	if err := q.Set("1.5B"); err != nil || float64(q) != 1.5e9 {
		t.Errorf("Quantity.Set(1.5B) = %v, %v", float64(q), err)
	}
}

func TestBadRatesFile(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]string{
		`{"rates":[{"name":"x","value":0,"source":"s","command":"c"}]}`: `rates[0] (x).value must be a positive number`,
		`{"rates":[{"name":"x","value":1,"source":"s"}]}`:               `rates[0] (x) needs a source and the command`,
		`{"rates":[{"name":"x","value":1,"source":"s","command":"c"}]}`: `no rate named "ingest_core_seconds_per_audio_second"`,
		`{"rates":`: "unexpected end of JSON input",
	}
	for body, want := range cases {
		p := filepath.Join(dir, "rates.json")
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := LoadRates(p)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: got %v, want the path and %q", body, err, want)
		}
	}
}
