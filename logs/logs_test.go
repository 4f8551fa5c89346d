package logs

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
)

func TestNew(t *testing.T) {
	cases := []struct {
		format, level string
		want          string // in the output of one Info and one Warn; "" = error
	}{
		{"text", "info", "level=INFO msg=hello"},
		{"text", "warn", "level=WARN msg=careful"},
		{"TEXT", "DEBUG", "level=INFO msg=hello"},
		{"json", "info", `"msg":"hello"`},
		{"xml", "info", ""},
		{"text", "loud", ""},
	}
	for _, tc := range cases {
		var buf bytes.Buffer
		level, err := ParseLevel(tc.level)
		var log *slog.Logger
		if err == nil {
			log, err = New(tc.format, level, &buf)
		}
		if tc.want == "" {
			if err == nil {
				t.Errorf("%s/%s: no error", tc.format, tc.level)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s/%s: %v", tc.format, tc.level, err)
		}
		log.Info("hello")
		log.Warn("careful")
		if !strings.Contains(buf.String(), tc.want) {
			t.Errorf("%s/%s: %q lacks %q", tc.format, tc.level, buf.String(), tc.want)
		}
		if tc.level == "warn" && strings.Contains(buf.String(), "hello") {
			t.Errorf("warn level let info through: %q", buf.String())
		}
		if tc.format == "json" {
			for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
				if !json.Valid([]byte(line)) {
					t.Errorf("not JSON: %q", line)
				}
			}
		}
	}
}
