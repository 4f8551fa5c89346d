package clustertest

import (
	"fmt"
	"strings"
)

// compareOutputs says where two copies of one settlement output
// (ledger.csv, report.json), written by the stacks named sideA and sideB,
// differ: the first differing line, by number, as each side has it. Nil
// means they are identical byte for byte. Neither format carries a run
// ID or time (royalty.WriteOutputs writes a pure function of its inputs),
// so nothing is sorted or masked first.
func compareOutputs(name, sideA, textA, sideB, textB string) error {
	if textA == textB {
		return nil
	}
	a, b := strings.Split(textA, "\n"), strings.Split(textB, "\n")
	for i := range max(len(a), len(b)) {
		la, lb := lineAt(a, i), lineAt(b, i)
		if la != lb {
			return fmt.Errorf("%s differs at line %d (%d lines from %s, %d from %s):\n  %s: %s\n  %s: %s",
				name, i+1, strings.Count(textA, "\n"), sideA, strings.Count(textB, "\n"), sideB, sideA, la, sideB, lb)
		}
	}
	return fmt.Errorf("%s differs but no line does", name) // unreachable: equal lines join to equal text
}

// lineAt is line i of lines, or a marker when there is none.
func lineAt(lines []string, i int) string {
	if i >= len(lines) {
		return "(no such line)"
	}
	return lines[i]
}
