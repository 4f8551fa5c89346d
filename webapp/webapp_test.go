package webapp

import (
	"io/fs"
	"path"
	"regexp"
	"strings"
	"testing"
)

// forbidden are the ways script could turn API text into markup or
// code, or keep a secret where other scripts read it. The player builds
// every node with textContent (app/dom.js), so none may appear.
var forbidden = []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "localStorage", "sessionStorage"}

var importRE = regexp.MustCompile(`(?m)^import .* from '(\.[^']+)';`)

// TestNoMarkupFromText scans every script for the forbidden names and
// checks that each relative import names an embedded file.
func TestNoMarkupFromText(t *testing.T) {
	n := 0
	err := fs.WalkDir(Files(), "app", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".js") {
			return err
		}
		n++
		b, err := fs.ReadFile(Files(), p)
		if err != nil {
			return err
		}
		for _, f := range forbidden {
			if strings.Contains(string(b), f) {
				t.Errorf("%s uses %s", p, f)
			}
		}
		for _, m := range importRE.FindAllStringSubmatch(string(b), -1) {
			if _, err := fs.Stat(Files(), path.Join(path.Dir(p), m[1])); err != nil {
				t.Errorf("%s imports %s: %v", p, m[1], err)
			}
		}
		return nil
	})
	if err != nil || n < 5 {
		t.Fatalf("walked %d scripts: %v", n, err)
	}
}

// TestNoInlineScript: index.html loads its code from files only, which
// the Content-Security-Policy (script-src 'self') requires.
func TestNoInlineScript(t *testing.T) {
	b, err := fs.ReadFile(Files(), "index.html")
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	for _, m := range regexp.MustCompile(`<script[^>]*>`).FindAllString(html, -1) {
		if !strings.Contains(m, `src="/app/`) {
			t.Errorf("inline script: %s", m)
		}
	}
	if regexp.MustCompile(`\son[a-z]+=`).MatchString(html) || strings.Contains(html, "style=") {
		t.Error("index.html has an inline handler or style")
	}
}
