package ingest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// AudioProber decodes an audio file and reports its length in seconds and
// its codec name (e.g. "flac", "pcm_s16le", "vorbis"). Validation uses it
// to compare declared with real durations and to refuse formats the encode
// step cannot read. cmd/musicctl wires the encode package's prober.
type AudioProber interface {
	Probe(ctx context.Context, path string) (seconds float64, codec string, err error)
}

// ProberFunc adapts a function to AudioProber.
type ProberFunc func(ctx context.Context, path string) (float64, string, error)

// Probe calls f.
func (f ProberFunc) Probe(ctx context.Context, path string) (float64, string, error) {
	return f(ctx, path)
}

// DefaultCodecs are the master formats the encode step decodes. A name
// matches exactly or as a prefix before "_" ("pcm" matches "pcm_s24le").
var DefaultCodecs = []string{"flac", "wav", "pcm", "vorbis"}

// DefaultDurationTolerance is how far a declared track length may be from
// the decoded one: DDEX durations are often rounded to whole seconds.
const DefaultDurationTolerance = 2 * time.Second

// Validator checks a delivery folder and collects every problem before
// anything is ingested. The zero value of each limit means its default.
type Validator struct {
	Prober            AudioProber
	MaxMessageSize    int64         // default DefaultMaxMessageSize
	DurationTolerance time.Duration // default DefaultDurationTolerance
	Codecs            []string      // default DefaultCodecs
}

// Report is the outcome of validating one delivery folder.
type Report struct {
	Dir      string    `json:"dir"`               // the delivery folder
	Message  string    `json:"message,omitempty"` // message file name inside Dir
	Delivery *Delivery `json:"-"`                 // nil when the message could not be parsed
	Problems Problems  `json:"problems"`          // empty when the delivery may be ingested
}

// Validate checks the delivery in dir: the message's safety and size, its
// metadata (Check), then every file: URI safety, presence, symlinks,
// HashSum, decodability, codec and duration, and that the folder holds no
// file the message does not name. It returns an error only when validation
// itself cannot run (no prober, cancelled context); everything wrong with
// the delivery is in Report.Problems, each with its file and XML path.
func (v *Validator) Validate(ctx context.Context, dir string) (*Report, error) {
	if v.Prober == nil {
		return nil, errors.New("ingest: Validator needs an AudioProber")
	}
	root, err := filepath.Abs(dir)
	if err == nil {
		root, err = filepath.EvalSymlinks(root)
	}
	if err != nil {
		return nil, fmt.Errorf("validate %s: %w", dir, err)
	}
	rep := &Report{Dir: root, Problems: Problems{}}
	name, p := findMessage(root)
	if p != nil {
		rep.Problems = append(rep.Problems, *p)
		return rep, ctx.Err()
	}
	rep.Message = name
	max := v.MaxMessageSize
	if max <= 0 {
		max = DefaultMaxMessageSize
	}
	d, err := ParseFile(ctx, filepath.Join(root, name), max)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		rep.Problems.add(name, "", ProblemXML, "%s", errorText(err))
		return rep, nil
	}
	rep.Delivery = d
	for _, p := range Check(d) {
		p.File = name
		rep.Problems = append(rep.Problems, p)
	}
	referenced := map[string]bool{name: true}
	for i := range d.SoundRecordings {
		sr := &d.SoundRecordings[i]
		for j := range sr.Files {
			if err := v.checkFile(ctx, root, name, &sr.Files[j], sr, referenced, &rep.Problems); err != nil {
				return nil, err
			}
		}
	}
	for i := range d.OtherResources {
		r := &d.OtherResources[i]
		for j := range r.Files {
			if err := v.checkFile(ctx, root, name, &r.Files[j], nil, referenced, &rep.Problems); err != nil {
				return nil, err
			}
		}
	}
	if err := unreferenced(root, referenced, &rep.Problems); err != nil {
		return nil, err
	}
	return rep, ctx.Err()
}

// checkFile validates one referenced file and records where it was found
// in f.Resolved. rec is the sound recording the file belongs to, nil for
// other resources (cover art, booklets).
func (v *Validator) checkFile(ctx context.Context, root, msg string, f *File, rec *SoundRecording, referenced map[string]bool, ps *Problems) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	clean, err := CleanURI(f.URI)
	if err != nil {
		ps.add(msg, f.Path+"/URI", ProblemURI, "%v", err)
		return nil
	}
	rel, err := resolveFile(root, clean)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		where := ""
		if !strings.Contains(clean, "/") {
			where = " (looked beside the message and in resources/)"
		}
		ps.add(msg, f.Path+"/URI", ProblemMissingFile, "referenced file %s does not exist%s", clean, where)
		return nil
	case err != nil:
		ps.add(msg, f.Path+"/URI", ProblemURI, "%v", err)
		return nil
	}
	referenced[rel] = true
	f.Resolved = rel
	full := filepath.Join(root, filepath.FromSlash(rel))
	audio := rec != nil && !rec.Supplemental
	switch {
	case f.Hash == "" && audio:
		ps.add(msg, f.Path, ProblemHash, "audio file %s has no HashSum", rel)
	case f.Hash != "":
		got, err := fileHash(ctx, f.HashAlgorithm, full)
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case err != nil:
			ps.add(rel, f.Path+"/HashSum/Algorithm", ProblemHash, "%v", err)
		case !strings.EqualFold(got, f.Hash):
			ps.add(rel, f.Path+"/HashSum/HashSumValue", ProblemHash, "%s hash mismatch: message says %s, file has %s", f.HashAlgorithm, f.Hash, got)
		}
	}
	if audio {
		v.checkAudio(ctx, rel, full, *f, rec, ps)
	}
	return ctx.Err()
}

// checkAudio decodes the file and compares codec and length with the
// message.
func (v *Validator) checkAudio(ctx context.Context, rel, full string, f File, rec *SoundRecording, ps *Problems) {
	secs, codec, err := v.Prober.Probe(ctx, full)
	if err != nil {
		if ctx.Err() == nil {
			ps.add(rel, f.Path, ProblemAudio, "cannot decode audio: %v", err)
		}
		return
	}
	if !v.supported(codec) {
		ps.add(rel, f.Path, ProblemAudio, "audio format %q is not supported (want one of %s)", codec, strings.Join(v.codecs(), ", "))
	}
	tol := v.DurationTolerance
	if tol <= 0 {
		tol = DefaultDurationTolerance
	}
	if rec.Duration > 0 {
		diff := math.Abs(secs - rec.Duration.Seconds())
		if diff > tol.Seconds() {
			ps.add(rel, rec.Path+"/Duration", ProblemDuration,
				"declared duration %s (%.1f s) but the file decodes to %.1f s (tolerance %s)", rec.DurationISO, rec.Duration.Seconds(), secs, tol)
		}
	}
}

func (v *Validator) codecs() []string {
	if len(v.Codecs) > 0 {
		return v.Codecs
	}
	return DefaultCodecs
}

func (v *Validator) supported(codec string) bool {
	c := strings.ToLower(codec)
	for _, ok := range v.codecs() {
		if c == ok || strings.HasPrefix(c, ok+"_") {
			return true
		}
	}
	return false
}

// unreferenced reports every file under root the message does not name.
func unreferenced(root string, referenced map[string]bool, ps *Problems) error {
	return filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			ps.add(filepath.Base(p), "", ProblemLayout, "cannot read: %v", err)
			return nil
		}
		if e.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if referenced[rel] {
			return nil
		}
		if e.Type()&os.ModeSymlink != 0 {
			ps.add(rel, "", ProblemUnreferenced, "symlink %s is not referenced by the message", rel)
			return nil
		}
		ps.add(rel, "", ProblemUnreferenced, "file %s is not referenced by the message", rel)
		return nil
	})
}

// errorText is the user-facing text of a parse error.
func errorText(err error) string {
	return strings.TrimPrefix(err.Error(), "ingest: ")
}
