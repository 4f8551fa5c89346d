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

// FFmpegProber is an AudioProber built on the ffprobe and ffmpeg programs
// (Debian package ffmpeg). It decodes the whole stream, so a truncated or
// corrupt file fails here even when its header states a full length. The
// tests use it as the reference prober, and `musicctl ingest --dry-run`
// uses it until the encode package's own decoder is wired in.
type FFmpegProber struct {
	FFprobe string // default "ffprobe" on PATH
	FFmpeg  string // default "ffmpeg" on PATH
}

// Probe returns the decoded length in seconds and ffprobe's codec name of
// the first audio stream.
func (p FFmpegProber) Probe(ctx context.Context, path string) (float64, string, error) {
	ffprobe, ffmpeg := p.FFprobe, p.FFmpeg
	if ffprobe == "" {
		ffprobe = "ffprobe"
	}
	if ffmpeg == "" {
		ffmpeg = "ffmpeg"
	}
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, ffprobe, "-v", "error", "-select_streams", "a:0",
		"-show_entries", "stream=codec_name,sample_rate", "-of", "default=noprint_wrappers=1", "--", path)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return 0, "", fmt.Errorf("ffprobe: %s", firstLine(stderr.String(), err))
	}
	var codec string
	var rate int
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), "=")
		switch k {
		case "codec_name":
			codec = v
		case "sample_rate":
			rate, _ = strconv.Atoi(v)
		}
	}
	if codec == "" || rate <= 0 {
		return 0, "", fmt.Errorf("no audio stream")
	}
	// Decode to 16-bit mono PCM and count the bytes: the true length, in
	// constant memory.
	stderr.Reset()
	dec := exec.CommandContext(ctx, ffmpeg, "-nostdin", "-v", "error", "-xerror", "-i", path,
		"-map", "0:a:0", "-ac", "1", "-acodec", "pcm_s16le", "-f", "s16le", "-")
	dec.Stderr = &limitedBuffer{max: 4096}
	stdout, err := dec.StdoutPipe()
	if err != nil {
		return 0, "", err
	}
	if err := dec.Start(); err != nil {
		return 0, "", fmt.Errorf("ffmpeg: %w", err)
	}
	n, copyErr := io.Copy(io.Discard, stdout)
	if err := dec.Wait(); err != nil {
		return 0, "", fmt.Errorf("decode failed: %s", firstLine(dec.Stderr.(*limitedBuffer).String(), err))
	}
	if copyErr != nil {
		return 0, "", fmt.Errorf("decode: %w", copyErr)
	}
	return float64(n) / 2 / float64(rate), codec, nil
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
