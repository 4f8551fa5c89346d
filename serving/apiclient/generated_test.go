package apiclient

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestClientIsGenerated runs the pinned oapi-codegen on openapi.json and
// checks that apiclient.gen.go is what it writes, so the client never
// drifts from the document.
func TestClientIsGenerated(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to run oapi-codegen: %v", err)
	}
	out := filepath.Join(t.TempDir(), "apiclient.gen.go")
	// A cold build of the tool takes a minute or two on a busy machine.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goBin, "tool", "oapi-codegen", "-config", "oapi-codegen.yaml", "-o", out, "openapi.json")
	cmd.WaitDelay = 10 * time.Second
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go tool oapi-codegen: %v\n%s", err, msg)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("apiclient.gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("serving/apiclient/apiclient.gen.go is not what oapi-codegen makes of openapi.json: run `make openapi`")
	}
}
