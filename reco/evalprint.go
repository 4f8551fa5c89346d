package reco

import (
	"fmt"
	"io"
)

// WriteText prints the report as a summary line and one row per model.
func (r *EvalReport) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "%d users, %d tracks, %d events; %d test users; %.1f s\n", r.Users, r.Tracks, r.Events, r.TestUsers, r.Seconds)
	fmt.Fprintf(w, "%-13s %10s %8s %9s %8s\n", "model", "recall@10", "ndcg@10", "coverage", "novelty")
	for _, m := range r.Results {
		if _, err := fmt.Fprintf(w, "%-13s %10.4f %8.4f %9.4f %8.2f\n", m.Model, m.Recall, m.NDCG, m.Coverage, m.Novelty); err != nil {
			return err
		}
	}
	return nil
}
