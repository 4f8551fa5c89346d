// Package serving is the platform's thin HTTP layer: health, metrics and
// the catalog, audio, search, playlist, library, identify, rankings,
// playback and admin APIs, each over the root package's contracts. Errors
// become HTTP statuses in exactly one place (errors.go).
package serving

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/internal/httprun"
	"github.com/openmusic/music/metrics"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Check reports whether one dependency is usable; nil means ready.
type Check func(ctx context.Context) error

// Server holds the HTTP layer's dependencies. Build it with New, add
// checks, then Serve.
type Server struct {
	// playlistSearch finds public playlists for ?type=playlist; set by
	// HandleSocial with an EditorialStore.
	playlistSearch func(ctx context.Context, words []string, offset, limit int) ([]music.Playlist, int, error)
	// followerCount adds follower_count to a playlist or an artist; set
	// by HandleSocial.
	followerCount func(ctx context.Context, kind, id string) (int, error)
	// deviceExtras sends friend activity to Connect devices; set by
	// HandleSocial with Social.Friends.
	deviceExtras func(ctx context.Context, u *music.User, send func(msg any))

	mux      *http.ServeMux
	checks   []namedCheck
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	// cacheRequests counts lookups of the per-process caches and of the
	// recommendation lists' cache, by cache and result.
	cacheRequests *prometheus.CounterVec
	// firstByte times audio answers until their headers (audiotiming.go).
	firstByte *prometheus.HistogramVec

	// Now is the clock used for deal validity checks; New sets time.Now
	// and tests replace it before routing handlers.
	Now func() time.Time

	// Signer signs the stream URLs the catalog hands out and checks them
	// on /audio/. Set it before routing; without it the catalog lists
	// unsigned paths and /audio/ answers 503.
	Signer *StreamSigner

	// Users resolves the bearer tokens of routes where one is optional:
	// on /readyz an ops account sees each failing dependency's error
	// (everyone else only states, as raw errors name hosts and drivers);
	// search and suggest use the caller's territory. Set it before serving.
	Users music.UserStore

	// Licences filters search and suggest results to what the caller's
	// territory may see (nil: unfiltered, for tools and tests; every
	// serving process sets it). DefaultTerritory is the territory of
	// anonymous searches.
	Licences         music.Licences
	DefaultTerritory string

	// GeoHeader names a request header in which a trusted edge (a CDN or
	// load balancer) states the client's country, e.g. CF-IPCountry. When
	// set, audio whose signed URL names another territory is 403.
	GeoHeader string

	// Log receives a line for every 5xx answer but 503 (which is load
	// shedding or a dependency down, counted by the metrics), with the
	// error behind it: clients only see "internal error". New sets
	// slog.Default().
	Log *slog.Logger

	// TrustedProxies are the load balancers whose X-Forwarded-For is
	// believed when keying anonymous callers (ClientIP).
	TrustedProxies []netip.Prefix

	limiters       map[string]music.RateLimiter // by class; SetRateLimiter
	limited        *prometheus.CounterVec
	tooLate        *prometheus.CounterVec // playback reports refused as too late (playback.go)
	bad            badTokens
	httpLimits     HTTPLimits
	shedder        *Shedder // nil: no load shedding
	shedMetrics    bool
	identifyLimits IdentifyLimits
	streams        map[string]routeKind // patterns with their own deadlines

	idem    music.IdempotencyStore
	tracks  *ttlCache[*music.Track]   // visible tracks by territory and ID
	users   *ttlCache[*music.User]    // users by token hash
	albums  *ttlCache[*music.Release] // visible releases by territory and ID
	artists *ttlCache[artistPage]     // artists by territory and ID
	routes  []string                  // API patterns, for the OpenAPI check
	// popular is the recommendation routes' cached popularity fallback.
	popular func(ctx context.Context, territory string, limit int) ([]string, error)

	onShutdown []func() // run when Serve begins shutting down

	accounts music.Accounts // nil: no sign-in, no session cookies (HandleAuth)
	auth     AuthOptions

	offlineObjects *offlineObjects // HandleOffline's encrypted copies
	// episodePlays takes playback reports of kind "episode" (set by
	// HandlePodcasts); nil refuses them.
	episodePlays music.EpisodePlays
	// podcasts answers whether an episode's audio may still be streamed
	// (set by HandlePodcasts); nil serves every signed episode URL.
	podcasts music.PodcastStore
	// episodes caches that answer: a player asks for one episode's audio
	// in many ranges.
	episodes *ttlCache[*music.Episode]
}

type namedCheck struct {
	name  string
	check Check
	// degradable: the server keeps answering without it (from caches, or
	// with 503 on the routes that need it), so it is "degraded", not
	// "not_ready".
	degradable bool
}

// Lookups cached per process: how long, how many. A takedown, deal end or
// new token is seen within cacheTTL.
const (
	cacheTTL = 5 * time.Second
	cacheMax = 100000
)

// New returns a server with /healthz, /readyz and /metrics routed, on a
// registry of its own.
func New() *Server { return NewOn(metrics.NewRegistry()) }

// NewOn is New exporting on reg, the process's registry (which has the
// Go and process collectors already: metrics.NewRegistry).
func NewOn(reg *prometheus.Registry) *Server {
	s := &Server{mux: http.NewServeMux(), registry: reg, Now: time.Now, Log: slog.Default(),
		tracks: newTTLCache[*music.Track](cacheTTL, cacheMax), users: newTTLCache[*music.User](cacheTTL, cacheMax),
		albums: newTTLCache[*music.Release](cacheTTL, cacheMax/20), artists: newTTLCache[artistPage](cacheTTL, cacheMax/20),
		episodes:   newTTLCache[*music.Episode](cacheTTL, cacheMax/20),
		httpLimits: DefaultHTTPLimits(), streams: map[string]routeKind{}, limiters: map[string]music.RateLimiter{}}
	s.idem = NewMemoryIdempotency(DefaultIdempotencyBudget, func() time.Time { return s.Now() })
	s.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "music_http_requests_total", Help: "HTTP requests by route and status class.",
	}, []string{"route", "code"})
	s.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "music_http_request_duration_seconds", Help: "HTTP request latency by route.",
		Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14),
	}, []string{"route"})
	s.limited = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "music_http_rate_limited_total", Help: "Requests refused with 429, by rate-limit class.",
	}, []string{"class"})
	stale := prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "music_catalog_stale_answers_total", Help: "Catalog and user lookups answered from expired cache entries because the catalog database was unavailable.",
	}, func() float64 {
		return float64(s.tracks.stale.Load() + s.users.stale.Load() + s.albums.stale.Load() + s.artists.stale.Load())
	})
	s.cacheRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "music_cache_requests_total", Help: "Cache lookups by cache (tracks, albums, artists, users, episodes, popular: per process; reco_lists: the recommendation lists' cache) and result (hit, miss; error for a cache that did not answer).",
	}, []string{"cache", "result"})
	s.tracks.counted(s.cacheRequests, "tracks")
	s.users.counted(s.cacheRequests, "users")
	s.episodes.counted(s.cacheRequests, "episodes")
	s.albums.counted(s.cacheRequests, "albums")
	s.artists.counted(s.cacheRequests, "artists")
	s.firstByte = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "music_audio_first_byte_seconds", Help: "Time from an audio request to its answer's headers (200, 206 or a redirect), by kind: start (no Range, or from byte 0) or range (a seek or a later chunk).",
		Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14),
	}, []string{"kind"})
	s.tooLate = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "music_playback_reports_too_late_total", Help: "Playback reports refused because the play is older than the report window (lake.MaxReportAge, 30 days), by kind (track, episode): never logged, never counted.",
	}, []string{"kind"})
	s.tooLate.WithLabelValues("track") // exported at 0, so a rate reads from the start
	s.tooLate.WithLabelValues("episode")
	s.registry.MustRegister(s.requests, s.latency, s.limited, stale, s.cacheRequests, s.firstByte, s.tooLate)

	s.mux.HandleFunc("GET /healthz", s.handleHealth)
	s.mux.HandleFunc("GET /readyz", s.handleReady)
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{}))
	return s
}

// AddCheck registers a dependency that /readyz reports by name; while it
// fails the server is not ready (503).
func (s *Server) AddCheck(name string, c Check) {
	s.checks = append(s.checks, namedCheck{name: name, check: c})
}

// AddDegradableCheck registers a dependency the server can lose and keep
// serving: while it fails /readyz answers 200 with status "degraded", so
// a load balancer keeps sending the traffic that still works.
func (s *Server) AddDegradableCheck(name string, c Check) {
	s.checks = append(s.checks, namedCheck{name: name, check: c, degradable: true})
}

// Registry is where other packages register their Prometheus metrics.
func (s *Server) Registry() *prometheus.Registry { return s.registry }

// Handle routes pattern (net/http syntax, e.g. "GET /api/v1/x/{id}") to h,
// with request metrics labelled by the pattern.
func (s *Server) Handle(pattern string, h http.Handler) {
	s.routes = append(s.routes, pattern)
	s.mux.Handle(pattern, s.instrument(pattern, h))
}

// handleKind routes like Handle with the deadlines of kind.
func (s *Server) handleKind(kind routeKind, pattern string, h http.Handler) {
	s.streams[pattern] = kind
	s.Handle(pattern, h)
}

// Routes lists the patterns routed with Handle, in routing order.
func (s *Server) Routes() []string { return append([]string(nil), s.routes...) }

// Handler is the whole routed handler, for tests and for http.Server.
// Every response says X-Content-Type-Options: nosniff.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		s.mux.ServeHTTP(w, r)
	})
}

// Serve answers on ln until ctx ends, then shuts down gracefully.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	l := s.httpLimits
	hs := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: l.ReadHeaderTimeout,
		ReadTimeout:       l.ReadTimeout,
		IdleTimeout:       l.IdleTimeout,
		MaxHeaderBytes:    l.MaxHeaderBytes,
	}
	ln = newLimitListener(ln, l.MaxConns)
	for _, f := range s.onShutdown {
		hs.RegisterOnShutdown(f)
	}
	return httprun.Serve(ctx, hs, ln, "http")
}

func (s *Server) instrument(route string, h http.Handler) http.Handler {
	kind := s.streams[route]
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		s.applyDeadlines(w, kind)
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(sw, r)
		s.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
		s.requests.WithLabelValues(route, fmt.Sprintf("%dxx", sw.status/100)).Inc()
		if sw.status >= 500 && sw.status != http.StatusServiceUnavailable && s.Log != nil {
			s.Log.Error("request failed", "route", route, "status", sw.status, "error", sw.err)
		}
	})
}

// statusWriter remembers the status code for metrics, and the error
// writeError answered with for the log. It forwards ReadFrom so that file
// bodies keep using sendfile.
type statusWriter struct {
	http.ResponseWriter
	status int
	err    error
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// ReadFrom hands file bodies to the connection's own ReadFrom, which is
// where net/http uses sendfile.
func (w *statusWriter) ReadFrom(r io.Reader) (int64, error) {
	if rf, ok := w.ResponseWriter.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(w.ResponseWriter, r)
}
