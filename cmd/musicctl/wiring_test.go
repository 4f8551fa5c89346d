package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// maxFuncLines is the longest a function in cmd/musicctl may be, counted
// from its func line to its closing brace: the commands only wire
// packages together, logic longer than this belongs in the package it is
// about, and a command with many subcommands builds each from a
// constructor of its own.
const maxFuncLines = 40

// longFuncs lists "file:line name (n lines)" for each function in the
// sources that is over the limit; function literals count towards the
// function they are in.
func longFuncs(t *testing.T, fset *token.FileSet, files []*ast.File) []string {
	t.Helper()
	var long []string
	for _, f := range files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			p := fset.Position(fd.Pos())
			if n := fset.Position(fd.End()).Line - p.Line + 1; n > maxFuncLines {
				long = append(long, fmt.Sprintf("%s:%d %s (%d lines)", filepath.Base(p.Filename), p.Line, fd.Name.Name, n))
			}
		}
	}
	return long
}

// TestCommandsOnlyWire holds cmd/musicctl to the house rule that cmd only
// wires: no function over maxFuncLines lines except flag wiring.
func TestCommandsOnlyWire(t *testing.T) {
	paths, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	if len(files) < 10 {
		t.Fatalf("found only %d source files; is the test running in cmd/musicctl?", len(files))
	}
	if long := longFuncs(t, fset, files); len(long) > 0 {
		t.Errorf("functions over %d lines in cmd/musicctl; move the logic to the package it belongs to:\n%s", maxFuncLines, strings.Join(long, "\n"))
	}
}

// TestLongFuncsCatches shows the check fails where it should: a function
// whose func line to closing brace is over the limit is caught, whether
// it is plain code, flag wiring or long because of a literal in it; one
// exactly at the limit is not.
func TestLongFuncsCatches(t *testing.T) {
	body := func(n int) string { return strings.Repeat("\t_ = 0\n", n) }
	src := "package main\n" +
		"func short() {\n" + body(maxFuncLines-2) + "}\n" +
		"func tooLong() {\n" + body(maxFuncLines-1) + "}\n" +
		"func newLongCmd() {\n" + body(3*maxFuncLines) + "}\n" +
		"func newFatCmd() {\n\t_ = func() {\n" + body(maxFuncLines-3) + "\t}\n}\n" +
		"func newSlimCmd() {\n\t_ = func() {\n" + body(maxFuncLines-4) + "\t}\n}\n" +
		"func (c *Config) BindAll() {\n" + body(2*maxFuncLines) + "}\n"
	dir := t.TempDir()
	path := filepath.Join(dir, "x.go")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := longFuncs(t, fset, []*ast.File{f})
	want := []string{"tooLong", "newLongCmd", "newFatCmd", "BindAll"}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %d findings", got, len(want))
	}
	for _, w := range want {
		if !slices.ContainsFunc(got, func(g string) bool { return strings.Contains(g, " "+w+" (") }) {
			t.Errorf("%q not found in %q", w, got)
		}
	}
}
