package music

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// rootCodeCeiling bounds the root package's lines of code, counted as
// codeLines counts them. Issue #21 asks for under 1,000; the count was
// 1,136 before the moves of docs/code-health.md, 1,051 with Connect's
// contracts still at the root and 973 once they moved to connect/; then
// 987 with a domain error for a refused playlist move
// (RemovedEntryError) and the EGONE code. What is left is types, errors
// and contracts that several packages share. The ceiling keeps logic
// from drifting back into the root: lower it when code moves out; raise
// it only for a domain type or error that several packages share, never
// for logic, and never to 1,000.
const rootCodeCeiling = 997

// codeLines counts the lines of r that are neither blank nor a "//"
// comment: the measure of
//
//	cat *.go | grep -v '^\s*$' | grep -v '^\s*//' | wc -l
//
// Doc comments are left out so that documenting a contract never costs
// room; a trailing comment on a line of code counts as that line.
func codeLines(r io.Reader) (int, error) {
	n := 0
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !strings.HasPrefix(line, "//") {
			n++
		}
	}
	return n, sc.Err()
}

// rootCodeLines sums codeLines over the non-test .go files of dir.
func rootCodeLines(dir string) (int, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return 0, err
	}
	total := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := os.Open(name)
		if err != nil {
			return 0, err
		}
		n, err := codeLines(f)
		f.Close()
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}

func TestCodeLinesCounter(t *testing.T) {
	src := "package x\n\n// Doc says why.\n\t// indented comment\nfunc f() {} // trailing\n   \n\t/* block */\n}\n"
	if n, err := codeLines(strings.NewReader(src)); err != nil || n != 4 {
		t.Errorf("codeLines = %d, %v; want 4 (package, func, block comment, brace)", n, err)
	}
	dir := t.TempDir()
	for name, body := range map[string]string{
		"a.go":      "package x\n\nvar A = 1\n",
		"b.go":      "package x\n// B\nvar B = 2\n",
		"a_test.go": "package x\nvar T = 3\n", // tests are not counted
		"notes.txt": "not go\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := rootCodeLines(dir); err != nil || n != 4 {
		t.Errorf("rootCodeLines = %d, %v; want 4", n, err)
	}
}

// TestRootPackageSize fails when the root package grows past
// rootCodeCeiling lines of code: logic of one technology or one consumer
// belongs in that package (docs/code-health.md, "The root package").
func TestRootPackageSize(t *testing.T) {
	n, err := rootCodeLines(".")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("root package: %d lines of code (ceiling %d, target under 1,000)", n, rootCodeCeiling)
	if n > rootCodeCeiling {
		t.Errorf("the root package has %d lines of code, over its ceiling of %d: move logic that one package uses into that package (docs/code-health.md)", n, rootCodeCeiling)
	}
}
