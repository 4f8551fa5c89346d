package progress

import (
	"bytes"
	"strings"
	"testing"
)

func TestLinesOnlyOnStageChange(t *testing.T) {
	var buf bytes.Buffer
	v := New(&buf) // a buffer is no terminal
	v.Update([]Item{{Key: "a", Label: "GBAYE0000001", Stage: "encode", Fraction: 0.1}})
	v.Update([]Item{{Key: "a", Label: "GBAYE0000001", Stage: "encode", Fraction: 0.5}})
	v.Update([]Item{{Key: "a", Label: "GBAYE0000001", Stage: "upload", Fraction: 0}, {Key: "b", Label: "-", Stage: "waiting"}})
	v.Close()
	want := "GBAYE0000001  10% encode\nGBAYE0000001   0% upload\n-              0% waiting\n"
	if got := buf.String(); got != want {
		t.Fatalf("got\n%q\nwant\n%q", got, want)
	}
}

func TestTerminalBars(t *testing.T) {
	var buf bytes.Buffer
	v := newView(&buf, true)
	v.Update([]Item{{Key: "a", Label: "GBAYE0000001", Stage: "encode", Fraction: 0.5}, {Key: "b", Label: "GBAYE0000002", Stage: "waiting"}})
	v.Update([]Item{{Key: "a", Label: "GBAYE0000001", Stage: "done", Fraction: 1}, {Key: "b", Label: "GBAYE0000002", Stage: "failed", Fraction: 0.25}})
	v.Close()
	out := buf.String()
	// The last frame: one bar per item, in order, with its final state.
	for _, want := range []string{"GBAYE0000001", "100 %", "done", "GBAYE0000002", "25 %", "failed"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%q", want, out)
		}
	}
	if i, j := strings.Index(out, "GBAYE0000001"), strings.Index(out, "GBAYE0000002"); i < 0 || j < i {
		t.Errorf("bars out of order:\n%q", out)
	}
}
