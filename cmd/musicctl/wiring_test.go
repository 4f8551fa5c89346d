package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// maxFuncLines is the longest function body cmd/musicctl may have: the
// commands only wire packages together, and logic longer than this
// belongs in the package it is about.
const maxFuncLines = 40

// flagWiring names the functions that only declare commands and flags
// (newXxxCmd, Config.BindXxx): long help texts and flag lists make them
// long, so their own length is not counted, but a function literal in
// them (a RunE) is held to the limit like any other function.
var flagWiring = regexp.MustCompile(`^(new\w*Cmd|Bind\w*)$`)

// longFuncs lists "file:line name (n lines)" for each function in the
// sources that is over the limit.
func longFuncs(t *testing.T, fset *token.FileSet, files []*ast.File) []string {
	t.Helper()
	var long []string
	lines := func(b *ast.BlockStmt) int {
		return fset.Position(b.Rbrace).Line - fset.Position(b.Lbrace).Line - 1
	}
	report := func(name string, b *ast.BlockStmt) {
		if n := lines(b); n > maxFuncLines {
			p := fset.Position(b.Lbrace)
			long = append(long, fmt.Sprintf("%s:%d %s (%d lines)", filepath.Base(p.Filename), p.Line, name, n))
		}
	}
	for _, f := range files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			if !flagWiring.MatchString(fd.Name.Name) {
				report(fd.Name.Name, fd.Body) // literals inside count towards it
				continue
			}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				if fl, ok := n.(*ast.FuncLit); ok {
					report("a function literal in "+fd.Name.Name, fl.Body)
					return false
				}
				return true
			})
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

// TestLongFuncsCatches shows the check fails where it should: a long
// plain function and a long RunE are caught, a long flag-wiring function
// with short literals is not.
func TestLongFuncsCatches(t *testing.T) {
	body := func(n int) string { return strings.Repeat("\t_ = 0\n", n) }
	src := "package main\n" +
		"func short() {\n" + body(maxFuncLines) + "}\n" +
		"func tooLong() {\n" + body(maxFuncLines+1) + "}\n" +
		"func newLongCmd() {\n" + body(3*maxFuncLines) + "\t_ = func() {\n" + body(maxFuncLines) + "\t}\n}\n" +
		"func newFatCmd() {\n\t_ = func() {\n" + body(maxFuncLines+1) + "\t}\n}\n" +
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
	want := []string{"tooLong", "a function literal in newFatCmd"}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %d findings", got, len(want))
	}
	for _, w := range want {
		if !slices.ContainsFunc(got, func(g string) bool { return strings.Contains(g, " "+w+" (") }) {
			t.Errorf("%q not found in %q", w, got)
		}
	}
}
