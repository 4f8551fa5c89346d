package serving

import (
	"math"
	"net/http"
	"sync"
	"time"

	music "github.com/openmusic/music"
	"github.com/prometheus/client_golang/prometheus"
)

// Shedder is an adaptive concurrency limit for the expensive routes
// (search, suggest, identify, recommendations). It learns their normal
// latency and, when latency climbs because the machine is saturated,
// lowers how many may run at once; requests over the limit are refused at
// once with 503 and Retry-After, which costs almost nothing, so the CPU
// stays with audio, playback reports and player commands, which are never
// shed. The rule is the gradient one of Netflix's concurrency-limits:
// limit ← limit·clamp(tolerance·long/short, ½, 1) + √limit, smoothed.
type Shedder struct {
	// MinLimit and MaxLimit bound the limit; the limit starts at MaxLimit.
	MinLimit, MaxLimit int
	// Tolerance is how much slower than the long-term latency requests
	// may get before the limit falls (default 2).
	Tolerance float64

	mu       sync.Mutex
	limit    float64
	inflight int
	short    float64 // fast average of latency, seconds
	long     float64 // slow average: the normal latency
	shed     int64
}

// NewShedder returns a shedder with the usual bounds.
func NewShedder() *Shedder { return &Shedder{MinLimit: 2, MaxLimit: 200, Tolerance: 2} }

func (l *Shedder) init() {
	if l.limit == 0 {
		l.limit = float64(max(l.MaxLimit, 1))
		if l.Tolerance <= 0 {
			l.Tolerance = 2
		}
	}
}

// acquire admits one request, or says it is to be shed.
func (l *Shedder) acquire() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.init()
	if float64(l.inflight) >= math.Floor(l.limit) {
		l.shed++
		return false
	}
	l.inflight++
	return true
}

// release records a finished request's latency and moves the limit.
func (l *Shedder) release(d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.inflight--
	rtt := d.Seconds()
	if l.long == 0 {
		l.short, l.long = rtt, rtt
	}
	l.short += (rtt - l.short) * 0.1
	l.long += (rtt - l.long) * 0.002
	if l.long > l.short {
		// Recovering: let the baseline follow the fast average down, so a
		// past overload does not keep the limit high for long.
		l.long += (l.short - l.long) * 0.1
	}
	gradient := math.Max(0.5, math.Min(1, l.Tolerance*l.long/l.short))
	next := l.limit*gradient + math.Sqrt(l.limit)
	l.limit = math.Max(float64(max(l.MinLimit, 1)), math.Min(float64(l.MaxLimit), l.limit*0.8+next*0.2))
}

// Limit is the current concurrency limit (for metrics and tests).
func (l *Shedder) Limit() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.init()
	return int(l.limit)
}

// Shed is how many requests were refused so far.
func (l *Shedder) Shed() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.shed
}

// SetShedder turns load shedding of the expensive routes on (nil: off).
// Call it before routing.
func (s *Server) SetShedder(l *Shedder) {
	s.shedder = l
	if l == nil || s.shedMetrics {
		return
	}
	s.shedMetrics = true
	current := func(f func(*Shedder) float64) func() float64 {
		return func() float64 {
			if s.shedder == nil {
				return 0
			}
			return f(s.shedder)
		}
	}
	s.registry.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "music_shed_limit", Help: "Adaptive concurrency limit of the expensive routes."},
			current(func(l *Shedder) float64 { return float64(l.Limit()) })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "music_shed_total", Help: "Expensive requests refused with 503 by the adaptive limit."},
			current(func(l *Shedder) float64 { return float64(l.Shed()) })))
}

// sheddable wraps an expensive route's handler: over the adaptive limit
// it answers 503 with Retry-After without doing the work.
func (s *Server) sheddable(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l := s.shedder
		if l == nil {
			h.ServeHTTP(w, r)
			return
		}
		if !l.acquire() {
			writeError(w, music.Errorf(music.EUNAVAILABLE, "the server is overloaded; retry shortly"))
			return
		}
		start := time.Now()
		defer func() { l.release(time.Since(start)) }()
		h.ServeHTTP(w, r)
	})
}
