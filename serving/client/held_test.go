package client_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"testing"

	"github.com/jfreymuth/oggvorbis"
	"github.com/openmusic/music/serving/client"
)

// heldCopies is a Fallback over renditions in memory that counts what it
// opened and what was closed.
type heldCopies struct {
	files          map[string][]byte
	opened, closed int
}

type heldCopy struct {
	*bytes.Reader
	h *heldCopies
}

func (c heldCopy) Close() error { c.h.closed++; return nil }

func (h *heldCopies) Rendition(trackID, rung string) (io.ReaderAt, int64, error) {
	b, ok := h.files[rung]
	if !ok {
		return nil, 0, fmt.Errorf("track %s is not held at rung %s", trackID, rung)
	}
	h.opened++
	return heldCopy{bytes.NewReader(b), h}, int64(len(b)), nil
}

// TestOpenHeldPlaysTheHeldCopy plays a rendition from a Fallback alone
// (there is no Client, so no network): the PCM must be the rendition's
// own decode scaled by the gain asked for, sample for sample, and Close
// must close the copy.
func TestOpenHeldPlaysTheHeldCopy(t *testing.T) {
	held := &heldCopies{files: encodeTrack(t, 0, 44100*3)}
	const gainDB = -4.5
	p, err := client.OpenHeld(held, "held-1", "160")
	if err != nil {
		t.Fatal(err)
	}
	p.SetGain(gainDB)
	var got []float32
	buf := make([]float32, 8192)
	for {
		n, err := p.Read(buf)
		got = append(got, buf[:n]...)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if p.Rung() != "160" || len(p.Switches) != 0 {
		t.Errorf("rung %s, switches %v; want 160 throughout", p.Rung(), p.Switches)
	}
	if err := p.Close(); err != nil || held.closed != held.opened || held.opened != 1 {
		t.Errorf("close: %v; opened %d, closed %d", err, held.opened, held.closed)
	}

	dec, err := oggvorbis.NewReader(bytes.NewReader(held.files["160"]))
	if err != nil {
		t.Fatal(err)
	}
	scale := float32(math.Pow(10, gainDB/20))
	var want []float32
	for {
		n, err := dec.Read(buf)
		for _, v := range buf[:n] {
			want = append(want, v*scale)
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("held PCM (%d samples) differs from the rendition's decode at %+.1f dB (%d samples)", len(got), gainDB, len(want))
	}

	if _, err := client.OpenHeld(held, "held-1", "999"); err == nil {
		t.Error("OpenHeld of a rung not held: no error")
	}
}
