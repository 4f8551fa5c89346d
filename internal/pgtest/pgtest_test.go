package pgtest

import (
	"context"
	"database/sql"
	"testing"
	"time"
)

// TestStopStart: the cluster answers, refuses connections while stopped,
// and keeps its data across the restart.
func TestStopStart(t *testing.T) {
	c := Start(t)
	dsn := c.CreateDB(t, "pgtest")
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := db.ExecContext(ctx, "CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)"); err != nil {
		t.Fatal(err)
	}
	c.Stop(t)
	if err := db.PingContext(ctx); err == nil {
		t.Fatal("ping answered with the cluster stopped")
	}
	c.Start(t)
	var v int
	if err := db.QueryRowContext(ctx, "SELECT v FROM kept").Scan(&v); err != nil || v != 42 {
		t.Fatalf("after restart: %d, %v; want 42", v, err)
	}
}
