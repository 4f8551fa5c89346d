package workflows

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"time"

	music "github.com/openmusic/music"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// SmokeInput names the run; the blob written is smoke/{Name}.
type SmokeInput struct {
	Name string
}

// SmokeResult reports what the smoke activity stored and read back.
type SmokeResult struct {
	Key    string
	SHA256 string
	Bytes  int64
}

// Smoke proves that a worker is attached and can reach the blob store: it
// runs one activity that writes a blob and reads it back verified.
func Smoke(ctx workflow.Context, in SmokeInput) (SmokeResult, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{MaximumAttempts: 3},
	})
	var res SmokeResult
	err := workflow.ExecuteActivity(ctx, (*Activities).SmokeBlob, in).Get(ctx, &res)
	return res, err
}

// SmokeBlob writes a small blob, reads it back through the verifying
// reader and returns its digest.
func (a *Activities) SmokeBlob(ctx context.Context, in SmokeInput) (SmokeResult, error) {
	if in.Name == "" {
		return SmokeResult{}, temporal.NewNonRetryableApplicationError("smoke: empty name", music.EINVALID, nil)
	}
	key := "smoke/" + in.Name
	payload := []byte("musicctl smoke test " + in.Name + "\n")
	info, err := a.Blobs.Put(ctx, key, bytes.NewReader(payload), music.PutOptions{ContentType: "text/plain"})
	if err != nil {
		return SmokeResult{}, fmt.Errorf("smoke put %s: %w", key, err)
	}
	rc, _, err := a.Blobs.Get(ctx, key)
	if err != nil {
		return SmokeResult{}, fmt.Errorf("smoke get %s: %w", key, err)
	}
	defer rc.Close()
	got, err := io.ReadAll(rc)
	if err != nil {
		return SmokeResult{}, fmt.Errorf("smoke read %s: %w", key, err)
	}
	sum := sha256.Sum256(got)
	if !bytes.Equal(got, payload) || hex.EncodeToString(sum[:]) != info.SHA256 {
		return SmokeResult{}, fmt.Errorf("smoke %s: read back differs from what was written", key)
	}
	return SmokeResult{Key: key, SHA256: info.SHA256, Bytes: info.Size}, nil
}
