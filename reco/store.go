package reco

import (
	"bytes"
	"context"
	"encoding/gob"
	"encoding/json"
	"fmt"

	music "github.com/openmusic/music"
)

// LatestKey is the blob holding the key of the newest trained model.
const LatestKey = "reco/latest.json"

// SaveModel stores m at key and then points LatestKey at it, so a reader
// of LatestKey never finds a model half written.
func SaveModel(ctx context.Context, blobs music.BlobStore, key string, m *Model) error {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(m); err != nil {
		return err
	}
	if _, err := blobs.Put(ctx, key, &buf, music.PutOptions{ContentType: "application/octet-stream"}); err != nil {
		return fmt.Errorf("store model %s: %w", key, err)
	}
	ptr, _ := json.Marshal(map[string]string{"model_key": key})
	if _, err := blobs.Put(ctx, LatestKey, bytes.NewReader(ptr), music.PutOptions{ContentType: "application/json"}); err != nil {
		return fmt.Errorf("store %s: %w", LatestKey, err)
	}
	return nil
}

// LoadModel reads the model at key.
func LoadModel(ctx context.Context, blobs music.BlobStore, key string) (*Model, error) {
	rc, _, err := blobs.Get(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", key, err)
	}
	defer rc.Close()
	var m Model
	if err := gob.NewDecoder(rc).Decode(&m); err != nil {
		return nil, music.Errorf(music.EINVALID, "model %s: %v", key, err)
	}
	return &m, nil
}

// LatestModel returns the key of the newest model (ENOTFOUND before the
// first batch).
func LatestModel(ctx context.Context, blobs music.BlobStore) (string, error) {
	rc, _, err := blobs.Get(ctx, LatestKey)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	var p struct {
		ModelKey string `json:"model_key"`
	}
	if err := json.NewDecoder(rc).Decode(&p); err != nil || p.ModelKey == "" {
		return "", music.Errorf(music.EINVALID, "%s: no model key (%v)", LatestKey, err)
	}
	return p.ModelKey, nil
}
