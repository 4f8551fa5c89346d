package sqlstore

import (
	"context"
	"testing"

	"github.com/openmusic/music/internal/catalogtest"
)

// testClaimSetting: the first value stored under a name stays; later
// claims learn it, on both backends.
func testClaimSetting(t *testing.T, dsn func(testing.TB) string) {
	ctx := context.Background()
	st, err := Open(ctx, dsn(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for i, tc := range []struct{ value, want string }{{"first", "first"}, {"second", "first"}, {"first", "first"}} {
		got, err := st.ClaimSetting(ctx, "stream_key_fingerprint", tc.value)
		if err != nil || got != tc.want {
			t.Fatalf("claim %d (%s): got %q, %v; want %q", i, tc.value, got, err, tc.want)
		}
	}
	if got, err := st.ClaimSetting(ctx, "another", "x"); err != nil || got != "x" {
		t.Fatalf("another name: got %q, %v", got, err)
	}
}

func TestClaimSettingSQLite(t *testing.T)   { testClaimSetting(t, catalogtest.SQLiteDSN) }
func TestClaimSettingPostgres(t *testing.T) { testClaimSetting(t, catalogtest.PostgresDSN) }
