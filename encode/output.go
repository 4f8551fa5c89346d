package encode

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// assemble finishes the rung's stream and writes the final file: header
// pages (with comments) followed by the audio pages.
func (r *rungEnc) assemble(tmp string, comments []string) (Rendition, error) {
	if err := r.flushTail(); err != nil {
		r.enc.Abort()
		return Rendition{}, err
	}
	frames := r.enc.Frames()
	head, err := r.enc.Finish(comments)
	if err != nil {
		return Rendition{}, err
	}
	if err := r.body.Close(); err != nil {
		return Rendition{}, fmt.Errorf("encode: %w", err)
	}
	name := r.rung.Name + ".ogg"
	rd := Rendition{Path: name, Codec: "vorbis", Bitrate: r.rung.Bitrate,
		SampleRate: r.rung.Rate, Channels: r.rung.Channels, Samples: frames}
	err = writeHashed(filepath.Join(tmp, name), &rd, func(w io.Writer) error {
		if _, err := w.Write(head); err != nil {
			return err
		}
		body, err := os.Open(r.body.Name())
		if err != nil {
			return err
		}
		defer body.Close()
		_, err = io.Copy(w, body)
		return err
	})
	os.Remove(r.body.Name())
	return rd, err
}

// writeHashed creates path, lets fill write it, and records size, SHA-256
// and actual bitrate in rd.
func writeHashed(path string, rd *Rendition, fill func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	h := sha256.New()
	cw := &countWriter{w: io.MultiWriter(f, h)}
	if err := fill(cw); err != nil {
		f.Close()
		return fmt.Errorf("encode %s: %w", filepath.Base(path), err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	rd.Bytes = cw.n
	rd.SHA256 = hex.EncodeToString(h.Sum(nil))
	if rd.Samples > 0 {
		rd.Actual = int(float64(cw.n*8) * float64(rd.SampleRate) / float64(rd.Samples))
	}
	return nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// publish writes rendition.json and renames every file from tmp into
// outDir, rendition.json last, so readers never see a half-done set.
func publish(tmp, outDir string, res *Result) error {
	js, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	if err := os.WriteFile(filepath.Join(tmp, "rendition.json"), append(js, '\n'), 0o644); err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	for _, r := range res.Renditions {
		if err := os.Rename(filepath.Join(tmp, r.Path), filepath.Join(outDir, r.Path)); err != nil {
			return fmt.Errorf("encode: %w", err)
		}
	}
	if err := os.Rename(filepath.Join(tmp, "rendition.json"), filepath.Join(outDir, "rendition.json")); err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	return nil
}
