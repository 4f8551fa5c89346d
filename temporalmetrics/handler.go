package temporalmetrics

import (
	"maps"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/client"
)

// durationBuckets span a 10 ms activity to a 3-hour royalty month.
var durationBuckets = prometheus.ExponentialBuckets(0.01, 2.5, 16)

// Handler is a client.MetricsHandler that records into Prometheus
// vectors registered once by NewHandler; WithTags shares them.
type Handler struct {
	tags       map[string]string
	counters   map[string]*prometheus.CounterVec
	gauges     map[string]*prometheus.GaugeVec
	histograms map[string]*prometheus.HistogramVec
}

var _ client.MetricsHandler = (*Handler)(nil)

// NewHandler registers every exported metric on reg.
func NewHandler(reg prometheus.Registerer) (*Handler, error) {
	h := &Handler{tags: map[string]string{}, counters: map[string]*prometheus.CounterVec{},
		gauges: map[string]*prometheus.GaugeVec{}, histograms: map[string]*prometheus.HistogramVec{}}
	for sdkName, s := range specs {
		var c prometheus.Collector
		switch s.kind {
		case counter:
			v := prometheus.NewCounterVec(prometheus.CounterOpts{Name: s.name, Help: s.help}, s.labels)
			h.counters[sdkName], c = v, v
		case gauge:
			v := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: s.name, Help: s.help}, s.labels)
			h.gauges[sdkName], c = v, v
		case histogram:
			v := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: s.name, Help: s.help, Buckets: durationBuckets}, s.labels)
			h.histograms[sdkName], c = v, v
		}
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// WithTags returns a handler whose metrics carry tags as well.
func (h *Handler) WithTags(tags map[string]string) client.MetricsHandler {
	c := *h
	c.tags = maps.Clone(h.tags)
	maps.Copy(c.tags, tags)
	return &c
}

// labels are the values of name's labels from the handler's tags.
func (h *Handler) labels(name string) prometheus.Labels {
	l := prometheus.Labels{}
	for _, k := range specs[name].labels {
		if v, ok := h.tags[k]; ok && v != "" {
			l[k] = v
		} else {
			l[k] = "none"
		}
	}
	return l
}

// Counter is name's counter, or one that records nothing when name is
// not exported.
func (h *Handler) Counter(name string) client.MetricsCounter {
	v, ok := h.counters[name]
	if !ok {
		return client.MetricsNopHandler.Counter(name)
	}
	c := v.With(h.labels(name))
	return counterFunc(func(d int64) { c.Add(float64(d)) })
}

// Gauge is name's gauge, or one that records nothing.
func (h *Handler) Gauge(name string) client.MetricsGauge {
	v, ok := h.gauges[name]
	if !ok {
		return client.MetricsNopHandler.Gauge(name)
	}
	return gaugeFunc(v.With(h.labels(name)).Set)
}

// Timer is name's histogram in seconds, or one that records nothing.
func (h *Handler) Timer(name string) client.MetricsTimer {
	v, ok := h.histograms[name]
	if !ok {
		return client.MetricsNopHandler.Timer(name)
	}
	o := v.With(h.labels(name))
	return timerFunc(func(d time.Duration) { o.Observe(d.Seconds()) })
}

type counterFunc func(int64)

func (f counterFunc) Inc(d int64) { f(d) }

type gaugeFunc func(float64)

func (f gaugeFunc) Update(v float64) { f(v) }

type timerFunc func(time.Duration)

func (f timerFunc) Record(d time.Duration) { f(d) }
