package temporalserver

import (
	"strings"
	"testing"
)

func TestPostgresStores(t *testing.T) {
	main, vis, err := postgresStores("postgres://temporal:pw@127.0.0.1:6543/tdb?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	if main.DatabaseName != "tdb" || vis.DatabaseName != "tdb_visibility" || main.ConnectAddr != "127.0.0.1:6543" || main.User != "temporal" || main.Password != "pw" {
		t.Errorf("stores = %+v, %+v", main, vis)
	}
	if m, _, _ := postgresStores("postgres://u@db/x"); m.ConnectAddr != "db:5432" {
		t.Errorf("default port: %s", m.ConnectAddr)
	}
	for _, bad := range []string{"mysql://h/x", "postgres://h:1", "postgres:///x", "not a url\x7f"} {
		_, _, err := postgresStores(bad)
		if err == nil || !strings.Contains(err.Error(), "-db") {
			t.Errorf("%q: err = %v, want one naming -db", bad, err)
		}
	}
	if _, _, err := postgresStores("postgres://u:secret@h/"); err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("error shows the password or is missing: %v", err)
	}
}
