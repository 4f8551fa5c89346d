package natslog

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// LagCollectors export the lake writer's lag in events and in seconds,
// measured on each scrape (-1: the stream did not answer within 2 s).
// The alerts in deploy/prometheus/alerts.yml fire on them.
func (l *Log) LagCollectors() []prometheus.Collector {
	measure := func(f func(ctx context.Context) (float64, error)) func() float64 {
		return func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			v, err := f(ctx)
			if err != nil {
				return -1
			}
			return v
		}
	}
	return []prometheus.Collector{
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "music_lake_writer_lag_events",
			Help: "Playback events acknowledged to clients but not yet in the lake (-1: the stream did not answer).",
		}, measure(func(ctx context.Context) (float64, error) {
			n, err := l.Lag(ctx)
			return float64(n), err
		})),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "music_lake_writer_lag_seconds",
			Help: "Age of the oldest playback event acknowledged but not yet in the lake; 0 when none is pending (-1: the stream did not answer).",
		}, measure(func(ctx context.Context) (float64, error) {
			d, err := l.LagAge(ctx, time.Now())
			return d.Seconds(), err
		})),
	}
}
