package ingest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFindDeliveriesPlainFolder(t *testing.T) {
	b, err := FindDeliveries(context.Background(), "testdata/good")
	if err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs("testdata/good")
	if !b.Plain || !b.Complete || len(b.Deliveries) != 1 || b.Deliveries[0] != abs {
		t.Fatalf("batch = %+v", b)
	}
}

func TestFindDeliveriesBatch(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	batch := filepath.Join(root, "20261127060000000")
	if err := os.MkdirAll(batch, 0o755); err != nil {
		t.Fatal(err)
	}
	// Two release folders: one good, one with a bad UPC.
	if err := os.Rename(copyDir(t, "testdata/good"), filepath.Join(batch, "195999000015")); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(copyDir(t, "testdata/bad/bad-upc"), filepath.Join(batch, "195999000016")); err != nil {
		t.Fatal(err)
	}

	b, err := FindDeliveries(ctx, batch)
	if err != nil {
		t.Fatal(err)
	}
	if b.Plain || b.Complete || len(b.Deliveries) != 2 {
		t.Fatalf("batch without marker = %+v, want 2 deliveries, not complete", b)
	}

	marker := "BatchComplete_20261127060000000.xml"
	if err := os.WriteFile(filepath.Join(batch, marker), []byte("<BatchComplete/>"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A folder without a message is listed so validation reports it.
	if err := os.MkdirAll(filepath.Join(batch, "stray", "resources"), 0o755); err != nil {
		t.Fatal(err)
	}
	b, err = FindDeliveries(ctx, batch)
	if err != nil {
		t.Fatal(err)
	}
	if !b.Complete || b.Marker != marker || len(b.Deliveries) != 3 {
		t.Fatalf("batch with marker = %+v", b)
	}
	for i, name := range []string{"195999000015", "195999000016", "stray"} {
		if filepath.Base(b.Deliveries[i]) != name {
			t.Fatalf("delivery %d = %s, want %s (sorted)", i, b.Deliveries[i], name)
		}
	}

	v := &Validator{Prober: prober}
	wants := [][]want{
		nil,
		{{ProblemICPN, "195999000016.xml", "/ReleaseId/ICPN"}},
		{{ProblemLayout, "", ""}},
	}
	for i, dir := range b.Deliveries {
		rep, err := v.Validate(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		checkProblems(t, rep.Problems, wants[i])
	}
}

func TestFindDeliveriesErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := FindDeliveries(ctx, t.TempDir()); err == nil || !strings.Contains(err.Error(), "no DDEX message") {
		t.Fatalf("empty dir: %v", err)
	}
	if _, err := FindDeliveries(ctx, filepath.Join(t.TempDir(), "absent")); err == nil {
		t.Fatal("missing dir: want error")
	}
	// Two messages in one folder: found as one delivery, rejected by Validate.
	dir := copyDir(t, "testdata/good")
	if err := os.WriteFile(filepath.Join(dir, "second.xml"), []byte(mustRead(t, "testdata/messages/purge.xml")), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := FindDeliveries(ctx, dir)
	if err != nil || !b.Plain {
		t.Fatalf("batch = %+v, %v", b, err)
	}
	rep, err := (&Validator{Prober: prober}).Validate(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	checkProblems(t, rep.Problems, []want{{ProblemLayout, "", ""}})
	if !strings.Contains(rep.Problems[0].Message, "2 messages") {
		t.Fatalf("problem = %q", rep.Problems[0].Message)
	}

	// A message that is a symlink is refused before it is opened.
	dir = t.TempDir()
	if err := os.Symlink("/etc/hostname", filepath.Join(dir, "message.xml")); err != nil {
		t.Fatal(err)
	}
	rep, err = (&Validator{Prober: prober}).Validate(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	checkProblems(t, rep.Problems, []want{{ProblemLayout, "message.xml", ""}})
}
