package main

import (
	"bytes"
	"testing"

	"github.com/openmusic/music/fingerprint"
)

func TestParseFpcalcArgs(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    fpcalcFlags
		wantErr bool
	}{
		{"defaults", []string{"a.wav"}, fpcalcFlags{length: 120, files: []string{"a.wav"}}, false},
		{"fpcalc style", []string{"-raw", "-length", "30", "-json", "a.wav"}, fpcalcFlags{raw: true, json: true, length: 30, files: []string{"a.wav"}}, false},
		{"double dash and =", []string{"--length=0", "--plain", "a.wav", "b.wav"}, fpcalcFlags{plain: true, length: 0, files: []string{"a.wav", "b.wav"}}, false},
		{"no file", []string{"-raw"}, fpcalcFlags{}, true},
		{"bad length", []string{"-length", "x", "a.wav"}, fpcalcFlags{}, true},
		{"length missing", []string{"a.wav", "-length"}, fpcalcFlags{}, true},
		{"unknown", []string{"-chunk", "5", "a.wav"}, fpcalcFlags{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseFpcalcArgs(tc.args)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v", err)
			}
			if !tc.wantErr && (got.raw != tc.want.raw || got.json != tc.want.json || got.plain != tc.want.plain ||
				got.length != tc.want.length || len(got.files) != len(tc.want.files)) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// The output formats are fpcalc's, byte for byte.
func TestWriteFpcalc(t *testing.T) {
	res := &fingerprint.Result{Items: []uint32{1, 0, 4294967295}, Duration: 74.086}
	tests := []struct {
		name string
		fl   fpcalcFlags
		want string
	}{
		{"text", fpcalcFlags{}, "DURATION=74\nFINGERPRINT=" + fingerprint.Encode(res.Items, 1) + "\n"},
		{"raw", fpcalcFlags{raw: true}, "DURATION=74\nFINGERPRINT=1,0,4294967295\n"},
		{"raw signed", fpcalcFlags{raw: true, signed: true}, "DURATION=74\nFINGERPRINT=1,0,-1\n"},
		{"json", fpcalcFlags{json: true}, "{\"duration\": 74.09, \"fingerprint\": \"" + fingerprint.Encode(res.Items, 1) + "\"}\n"},
		{"json raw", fpcalcFlags{json: true, raw: true}, "{\"duration\": 74.09, \"fingerprint\": [1,0,4294967295]}\n"},
		{"plain", fpcalcFlags{plain: true, raw: true}, "1,0,4294967295\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			writeFpcalc(&b, tc.fl, res, true)
			if b.String() != tc.want {
				t.Fatalf("got %q, want %q", b.String(), tc.want)
			}
		})
	}
}
