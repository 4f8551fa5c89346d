package ingest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
)

// FFmpegProber is an AudioProber built on the ffprobe program (Debian
// package ffmpeg). It decodes every frame, so a truncated or corrupt file
// fails here even when its header states a full length. The tests use it
// as the reference prober; musicctl and the ingest workflow probe with
// the encode package's own decoder (encode.ProbeSeconds).
type FFmpegProber struct {
	FFprobe string // default "ffprobe" on PATH
}

// Probe returns the decoded length in seconds (the samples of all decoded
// frames over the sample rate) and ffprobe's codec name of the first audio
// stream. Any decoder error makes it fail.
func (p FFmpegProber) Probe(ctx context.Context, path string) (float64, string, error) {
	ffprobe := p.FFprobe
	if ffprobe == "" {
		ffprobe = "ffprobe"
	}
	// One line per decoded frame ("nb_samples"), then one for the stream
	// ("codec_name,sample_rate"); read as it comes, in constant memory.
	cmd := exec.CommandContext(ctx, ffprobe, "-v", "error", "-select_streams", "a:0",
		"-show_entries", "stream=codec_name,sample_rate:frame=nb_samples", "-of", "csv=p=0", "--", path)
	stderr := &limitedBuffer{max: 4096}
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return 0, "", err
	}
	if err := cmd.Start(); err != nil {
		return 0, "", fmt.Errorf("ffprobe: %w", err)
	}
	var samples int64
	var codec string
	var rate int
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		fields := strings.Split(strings.TrimSpace(sc.Text()), ",")
		switch len(fields) {
		case 1:
			n, _ := strconv.ParseInt(fields[0], 10, 64)
			samples += n
		case 2:
			codec = fields[0]
			rate, _ = strconv.Atoi(fields[1])
		}
	}
	scanErr := sc.Err()
	if scanErr != nil {
		io.Copy(io.Discard, stdout) // let ffprobe finish
	}
	waitErr := cmd.Wait()
	switch {
	case waitErr != nil:
		return 0, "", fmt.Errorf("decode failed: %s", firstLine(stderr.String(), waitErr))
	case stderr.Len() > 0:
		return 0, "", fmt.Errorf("decode failed: %s", firstLine(stderr.String(), nil))
	case scanErr != nil:
		return 0, "", fmt.Errorf("read ffprobe output: %w", scanErr)
	case codec == "" || rate <= 0:
		return 0, "", fmt.Errorf("no audio stream")
	}
	return float64(samples) / float64(rate), codec, nil
}

// ffmpegContext matches "[flac @ 0x55d0c…] ": the address changes per run.
var ffmpegContext = regexp.MustCompile(`\[(\w+) @ 0x[0-9a-f]+\] `)

// firstLine gives a short reason from a tool's stderr.
func firstLine(s string, err error) string {
	s = ffmpegContext.ReplaceAllString(s, "$1: ")
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		if err == nil {
			return "unknown error"
		}
		return err.Error()
	}
	if len(lines) > 2 {
		lines = lines[:2]
	}
	return strings.Join(lines, "; ")
}

// limitedBuffer keeps the first max bytes written to it.
type limitedBuffer struct {
	bytes.Buffer
	max int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); room > 0 {
		if len(p) > room {
			b.Buffer.Write(p[:room])
		} else {
			b.Buffer.Write(p)
		}
	}
	return len(p), nil
}
