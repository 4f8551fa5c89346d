package metrics

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/openmusic/music/temporalmetrics"
)

// root is the repository, from this package's directory.
const root = ".."

var (
	// registered: a metric name as the code declares it in an Opts literal.
	registered = regexp.MustCompile(`Name:\s*"(music_[a-z0-9_]+)"`)
	// referenced: a metric name in a rule or panel expression (recording
	// rules are music:…, with colons, and are not matched).
	referenced = regexp.MustCompile(`\bmusic_[a-z0-9_]+\b`)
)

// exported lists every music_ metric the code registers: the Opts
// literals of non-test Go files, and the Temporal handler's table.
func exported(t *testing.T) map[string]bool {
	t.Helper()
	names := map[string]bool{}
	for _, n := range temporalmetrics.Exported() {
		names[n] = true
	}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range registered.FindAllStringSubmatch(string(b), -1) {
			names[m[1]] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// base is a series name without a histogram's suffix.
func base(name string, names map[string]bool) string {
	for _, suf := range []string{"_bucket", "_count", "_sum"} {
		if b, ok := strings.CutSuffix(name, suf); ok && names[b] {
			return b
		}
	}
	return name
}

// TestAlertsAndDashboardUseExportedMetrics: every music_ name in the
// alert rules and the Grafana dashboard is one the code exports, so a
// renamed metric cannot leave an alert that never fires.
func TestAlertsAndDashboardUseExportedMetrics(t *testing.T) {
	names := exported(t)
	if len(names) < 20 {
		t.Fatalf("found only %d exported names; the scan is broken: %v", len(names), names)
	}
	for _, f := range []string{"deploy/prometheus/alerts.yml", "deploy/prometheus/alerts_test.yml", "deploy/grafana/musicctl.json"} {
		b, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		seen := 0
		for _, n := range referenced.FindAllString(string(b), -1) {
			seen++
			if !names[base(n, names)] {
				t.Errorf("%s: %s is not a metric the code exports", f, n)
			}
		}
		if seen == 0 {
			t.Errorf("%s: references no music_ metric", f)
		}
	}
}

// TestMetricsDocumented: docs/metrics.md names every exported metric.
func TestMetricsDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join(root, "docs", "metrics.md"))
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	for n := range exported(t) {
		if !strings.Contains(string(doc), "`"+n+"`") {
			missing = append(missing, n)
		}
	}
	slices.Sort(missing)
	if len(missing) > 0 {
		t.Errorf("docs/metrics.md does not document: %s", strings.Join(missing, ", "))
	}
}

// TestReferencedCatchesAnUnknownName shows the check fails where it
// should: a misspelt name is not exported, a histogram's series are.
func TestReferencedCatchesAnUnknownName(t *testing.T) {
	names := exported(t)
	if names[base("music_lake_writer_lag_secs", names)] {
		t.Error("a misspelt name passed")
	}
	if !names[base("music_ingest_stage_seconds_bucket", names)] {
		t.Error("a histogram's _bucket series did not resolve to its metric")
	}
}
