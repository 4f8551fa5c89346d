package metrics

import (
	"fmt"
	"sort"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// Series flattens what g gathers into name{k="v",…} → value, labels
// sorted, with each histogram as its _count and _sum: the form tests
// compare against.
func Series(g prometheus.Gatherer) (map[string]float64, error) {
	mfs, err := g.Gather()
	if err != nil {
		return nil, err
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.Metric {
			ls := labelString(m.Label)
			switch {
			case m.Counter != nil:
				out[mf.GetName()+ls] = m.Counter.GetValue()
			case m.Gauge != nil:
				out[mf.GetName()+ls] = m.Gauge.GetValue()
			case m.Histogram != nil:
				out[mf.GetName()+"_count"+ls] = float64(m.Histogram.GetSampleCount())
				out[mf.GetName()+"_sum"+ls] = m.Histogram.GetSampleSum()
			case m.Untyped != nil:
				out[mf.GetName()+ls] = m.Untyped.GetValue()
			}
		}
	}
	return out, nil
}

func labelString(ls []*dto.LabelPair) string {
	parts := make([]string, 0, len(ls))
	for _, l := range ls {
		parts = append(parts, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
	}
	sort.Strings(parts)
	return "{" + strings.Join(parts, ",") + "}"
}
