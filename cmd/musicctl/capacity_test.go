package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestCapacityNotesTable runs `musicctl capacity --json` with the design
// notes' load (the defaults) and checks the notes' figures and the shape.
func TestCapacityNotesTable(t *testing.T) {
	out, errOut, code := run(t, "capacity", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var report map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &report); err != nil {
		t.Fatal(err)
	}
	var notes []struct {
		Name       string  `json:"name"`
		Arithmetic string  `json:"arithmetic"`
		Value      float64 `json:"value"`
		Shown      string  `json:"shown"`
	}
	if err := json.Unmarshal(report["notes_table"], &notes); err != nil {
		t.Fatal(err)
	}
	shown := map[string]string{}
	for _, n := range notes {
		shown[n.Name] = n.Shown
	}
	for name, want := range map[string]string{"total music storage": "500 TB", "bandwidth": "12.8 Tbps", "streams / s": "23.1k"} {
		if shown[name] != want {
			t.Errorf("%s = %q, want %q", name, shown[name], want)
		}
	}
	for _, key := range []string{"load", "rates", "traffic", "cores", "egress", "storage", "lake", "monthly_cost"} {
		if len(report[key]) < 3 {
			t.Errorf("JSON %q missing or empty", key)
		}
	}
}

// TestCapacityBadFlags: each bad value fails with one line naming the flag.
func TestCapacityBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--dau", "lots"}, `--dau`},
		{[]string{"--dau", "600M"}, "--dau (600M) cannot exceed --users (500M)"},
		{[]string{"--bitrate-mix", "160:0.5"}, "--bitrate-mix: the shares add up to 0.5, not 1"},
		{[]string{"--rungs", "24,abc"}, `--rungs: "abc" is not a positive whole number of kbps`},
		{[]string{"--cdn-hit-ratio", "2"}, "--cdn-hit-ratio must be from 0 to 1"},
		{[]string{"--rates", "/nonexistent/rates.json"}, "/nonexistent/rates.json"},
	} {
		_, errOut, code := run(t, append([]string{"capacity"}, tc.args...)...)
		msg := strings.TrimSpace(errOut)
		if code == 0 || !strings.Contains(msg, tc.want) || strings.Count(msg, "\n") > 0 {
			t.Errorf("%v: exit %d, stderr %q; want one line with %q", tc.args, code, msg, tc.want)
		}
	}
}
