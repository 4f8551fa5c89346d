//go:build cluster

package clustertest

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// faultLog records what a scenario killed and restarted, and when, for
// the fault table in docs/benchmarks/cluster.md.
type faultLog struct {
	t     testing.TB
	start time.Time
	rows  []string
}

// kill ends p with SIGKILL and records it with progress (what the
// scenario had done so far, e.g. reports acknowledged).
func (f *faultLog) kill(p *Proc, progress int64) {
	f.t.Helper()
	pid := p.Pid()
	p.Kill9(f.t)
	f.note(fmt.Sprintf("kill -9 %s (pid %d)", p.Name, pid), progress)
}

// restart starts p again and records when it was ready.
func (f *faultLog) restart(p *Proc, progress int64) {
	f.t.Helper()
	p.Restart(f.t)
	f.note("restart "+p.Name+" (ready)", progress)
}

func (f *faultLog) note(what string, progress int64) {
	row := fmt.Sprintf("| %s | %.1f s | %d |", what, time.Since(f.start).Seconds(), progress)
	f.rows = append(f.rows, row)
	f.t.Log(row)
}

// table logs the faults as a Markdown table with the outcome the
// scenario measured.
func (f *faultLog) table(outcome string) {
	f.t.Logf("fault table:\n| fault | at | progress then |\n|---|---|---|\n%s\noutcome: %s",
		strings.Join(f.rows, "\n"), outcome)
}
