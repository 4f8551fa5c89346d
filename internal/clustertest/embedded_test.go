//go:build cluster

package clustertest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/royalty"
	"github.com/openmusic/music/sqlstore"
	"github.com/openmusic/music/workflows"
)

// settleOnEmbeddedStack settles month on `musicctl up`, the embedded
// stack: one process with its own Temporal server, a SQLite catalog and
// a file blob store under a data dir of its own. Its inputs are the
// cluster's: a copy of every lake object on MinIO, the accounts whose
// plays are never paid with the same IDs, the month's pools as the
// cluster's catalog holds them, and the same contracts file, given to
// `royalty run` as on the cluster. It returns the ledger.csv and
// report.json that run wrote.
func settleOnEmbeddedStack(t *testing.T, c *Cluster, month, contracts string) (ledger, report string) {
	t.Helper()
	dir := filepath.Join(c.Dir, "embedded") // kept with the logs when the test fails
	copyLake(t, c.Blobs(t), filepath.Join(dir, "blobs"))
	copyCatalogInputs(t, c.CatalogDSN, filepath.Join(dir, "catalog.db"), month)
	up := startProc(t, c.Dir, Spec{Name: "embedded-up", Bin: c.Bins.Musicctl, Args: []string{"up", "--data-dir", dir,
		"--http", "127.0.0.1:0", "--temporal-listen", "127.0.0.1:0", "--ui-listen", "", "--lake-flush", lakeFlush}})
	defer up.Stop()
	start := time.Now()
	out, err := runMusicctl(c.Bins.Musicctl, 10*time.Minute, nil, []string{"--data-dir", dir},
		[]string{"royalty", "run", "--month", month, "--contracts", contracts, "--temporal-address", up.Ready["temporal"]})
	if err != nil {
		t.Fatalf("royalty run on the embedded stack: %v", err)
	}
	t.Logf("embedded stack settled %s in %v: %s", month, time.Since(start).Round(time.Millisecond), firstLine(out))
	blobs, err := filestore.Open(context.Background(), filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	prefix := royalty.OutputPrefix(month)
	return readAll(t, blobs, prefix+"ledger.csv"), readAll(t, blobs, prefix+"report.json")
}

// copyCatalogInputs copies into the catalog at toDSN what a royalty
// month reads from the one at fromDSN: the accounts of music.UnpaidRoles
// (label, ops), each under its own ID, and month's pools. It fails unless
// both catalogs then name the same unpaid accounts.
func copyCatalogInputs(t *testing.T, fromDSN, toDSN, month string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	from, err := sqlstore.Open(ctx, fromDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer from.Close()
	to, err := sqlstore.Open(ctx, toDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer to.Close()
	users, err := from.ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if !slices.Contains(music.UnpaidRoles, u.Role) {
			continue
		}
		id, err := hex.DecodeString(strings.TrimPrefix(u.ID, "usr_"))
		if err != nil {
			t.Fatalf("user %s: ID %q: %v", u.Name, u.ID, err)
		}
		// The store draws a new account's ID, then its token, from Rand.
		to.Rand = io.MultiReader(bytes.NewReader(id), rand.Reader)
		if _, _, err := to.CreateUserOnPlan(ctx, u.Name, u.Role, u.Country, u.Plan); err != nil {
			t.Fatalf("copy user %s: %v", u.Name, err)
		}
	}
	to.Rand = rand.Reader
	pools, err := from.Pools(ctx, month)
	if err != nil {
		t.Fatal(err)
	}
	for terr, amount := range pools {
		if err := to.SetPool(ctx, month, terr, amount); err != nil {
			t.Fatal(err)
		}
	}
	want, err := workflows.UnpaidAccounts(ctx, from)
	if err != nil {
		t.Fatal(err)
	}
	got, err := workflows.UnpaidAccounts(ctx, to)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(got, want) {
		t.Fatalf("unpaid accounts: the embedded catalog has %v, the cluster's %v", slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
	}
	t.Logf("copied %d unpaid accounts and %d pools of %s into the embedded catalog", len(want), len(pools), month)
}
