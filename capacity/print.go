package capacity

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteText prints the report as sections of "figure  arithmetic  value".
func (r Report) WriteText(w io.Writer) error {
	sections := []struct {
		title string
		lines []Line
	}{
		{"Design notes' table (the notes' method: one copy at --stream-kbps)", r.NotesTable},
		{"Traffic", r.Traffic},
		{fmt.Sprintf("Cores per tier (measured per-core rates; target utilisation %s)", trim(r.Load.Utilisation)), r.Cores},
		{"CDN egress", r.Egress},
		{"Storage by tier", r.Storage},
		{"Lake", r.Lake},
		{"Monthly cost", r.Cost},
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for i, s := range sections {
		if i > 0 {
			fmt.Fprintln(tw)
		}
		fmt.Fprintln(tw, s.title)
		for _, ln := range s.lines {
			fmt.Fprintf(tw, "  %s\t%s\t= %s\n", ln.Name, ln.Arithmetic, ln.Shown)
		}
	}
	return tw.Flush()
}
