package sqlstore

import (
	"os/exec"
	"strings"
	"testing"
)

// TestCatalogLinksNoParquet keeps the catalog store free of the batches'
// dependencies (issue #21): the lake's Parquet library came in through
// package reco once, when the store used two of its record types.
func TestCatalogLinksNoParquet(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.Contains(pkg, "parquet") || pkg == "github.com/openmusic/music/reco" || pkg == "github.com/openmusic/music/lake" {
			t.Errorf("sqlstore depends on %s", pkg)
		}
	}
}
