package browsertest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// AxeVersion is the axe-core release the accessibility checks run; `make`
// fetches it from the npm registry into the cache (mk/webplayer.mk).
const AxeVersion = "4.14.1"

// AxeScript returns axe-core's axe.min.js: $MUSIC_AXE_JS, else
// ~/.cache/musicctl/axe-core/axe.min.js. Without it the test is skipped,
// or fails when RequireEnv is 1.
func AxeScript(t testing.TB) string {
	t.Helper()
	path := os.Getenv("MUSIC_AXE_JS")
	if path == "" {
		home, _ := os.UserHomeDir()
		path = filepath.Join(home, ".cache", "musicctl", "axe-core", "axe.min.js")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatalf("axe-core %s not found (%v) and %s=1: run `make webplayer-axe`", AxeVersion, err, RequireEnv)
		}
		t.Skipf("NOTICE: axe-core not found (%v); `make webplayer-axe` fetches it", err)
	}
	return string(b)
}

// Violation is one axe-core rule the page breaks.
type Violation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// SeriousViolations runs axe-core on the page as it is now and returns
// the serious and critical violations.
func (p *Page) SeriousViolations(axe string) []Violation {
	p.t.Helper()
	if !Eval[bool](p, "typeof axe === 'object'") {
		Eval[bool](p, axe+"\n;true")
	}
	out := Eval[string](p, `axe.run(document, {resultTypes: ['violations']}).then(r => JSON.stringify(
		r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v =>
			({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))))`)
	var vs []Violation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		p.t.Fatalf("axe results %q: %v", out, err)
	}
	return vs
}
