package main

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/natslog"
	"github.com/openmusic/music/redis"
	"github.com/openmusic/music/serving"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/spf13/pflag"
)

// AbuseLimits are the serving processes' limits on what one caller can
// cost (docs/security.md, "Abuse limits and degradation").
type AbuseLimits struct {
	RateReports    float64
	RateIdentify   float64
	RateSignIn     float64
	RateAudio      float64
	TrustedProxies []string
	MaxConns       int
	ReadTimeout    time.Duration
	WriteTimeout   time.Duration
	Shed           bool // adaptive load shedding of the expensive routes

	NATSReplicas   int   // playback stream replicas; fewer than the stream has is refused
	NATSMaxBytes   int64 // playback stream storage cap; never lowered on restart
	NATSSyncAlways bool  // embedded server fsyncs every write
}

// BindEventStream declares the playback stream's settings (up, serve,
// worker: whichever process opens the stream first creates it).
func (c *Config) BindEventStream(fs *pflag.FlagSet) {
	a := &c.Abuse
	fs.IntVar(&a.NATSReplicas, "nats-replicas", 1, "replicas of the playback stream on a NATS cluster; every process must give the same count (fewer than the stream has is refused)")
	fs.Int64Var(&a.NATSMaxBytes, "nats-max-bytes", 0, "storage cap of the playback stream in bytes, oldest events dropped first (0: no cap); a restart never lowers an existing stream's")
	fs.BoolVar(&a.NATSSyncAlways, "nats-sync-always", false, "embedded NATS (up): fsync every acknowledged event, so a power loss loses none (default: written to the OS before the ack, safe against a killed process)")
}

// BindAbuse declares the abuse-limit flags of serve and up.
func (c *Config) BindAbuse(fs *pflag.FlagSet) {
	a := &c.Abuse
	fs.Float64Var(&a.RateReports, "rate-limit-reports", 2, "playback reports per second per token, or per client address when anonymous, with bursts of 30 (0: no limit)")
	fs.Float64Var(&a.RateIdentify, "rate-limit-identify", 0.2, "identify uploads per second per token, with bursts of 3 (0: no limit)")
	fs.Float64Var(&a.RateSignIn, "rate-limit-signin", 0.2, "sign-ins and bad bearer tokens per second per client address, with bursts of 10 (0: no limit)")
	fs.Float64Var(&a.RateAudio, "rate-limit-audio", 10, "audio requests per second per signed URL, with bursts of 40 (0: no limit)")
	fs.StringSliceVar(&a.TrustedProxies, "trusted-proxies", nil, "CIDRs of load balancers whose X-Forwarded-For names the client (default: none; the TCP peer is the client)")
	fs.IntVar(&a.MaxConns, "max-conns", serving.DefaultHTTPLimits().MaxConns, "connections served at once; more wait in the listen backlog")
	fs.DurationVar(&a.ReadTimeout, "read-timeout", serving.DefaultHTTPLimits().ReadTimeout, "time a client has to send a whole request, body included (identify uploads get 3m)")
	fs.BoolVar(&a.Shed, "shed", true, "refuse search and suggest with 503 when their latency shows the machine is saturated, before audio and playback reports slow down")
	fs.DurationVar(&a.WriteTimeout, "write-timeout", serving.DefaultHTTPLimits().WriteTimeout, "time to write an API answer (audio and event streams get 1h)")
}

// rateClass is one rate-limit class with its flag and smallest burst.
type rateClass struct {
	class    string
	flag     string
	perSec   float64
	minBurst int
}

// trustedProxies reads --trusted-proxies: CIDRs, or single addresses.
func trustedProxies(cfg *Config) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range cfg.Abuse.TrustedProxies {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil {
				return nil, fmt.Errorf("%s %q: want a CIDR such as 10.0.0.0/8", cfg.Source("trusted-proxies"), s)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, p)
	}
	return out, nil
}

// applyAbuseLimits sets the server's HTTP limits and rate limiters; with
// --redis-url the limiters are shared and fall back to per-process ones
// while Redis is down.
func applyAbuseLimits(ctx context.Context, cfg *Config, st *stack, srv *serving.Server) error {
	a := cfg.Abuse
	srv.SetHTTPLimits(serving.HTTPLimits{MaxConns: a.MaxConns, ReadTimeout: a.ReadTimeout, WriteTimeout: a.WriteTimeout})
	if a.Shed {
		srv.SetShedder(serving.NewShedder())
	}
	proxies, err := trustedProxies(cfg)
	if err != nil {
		return err
	}
	srv.TrustedProxies = append(srv.TrustedProxies, proxies...)
	shared := st.Redis // nil without --redis-url: limits per process
	if shared != nil {
		srv.AddDegradableCheck("redis", shared.Ping)
		shareIdempotencyKeys(shared, srv)
	}
	fallbacks := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "music_rate_limit_fallback_total", Help: "Rate-limit decisions taken per process because Redis did not answer, by class.",
	}, []string{"class"})
	srv.Registry().MustRegister(fallbacks)
	return setRateLimiters(cfg, srv, shared, fallbacks)
}

// setRateLimiters gives each request class its limiter from the flags:
// in memory, or shared in Redis with the in-memory one as the fallback.
func setRateLimiters(cfg *Config, srv *serving.Server, shared *redis.Client, fallbacks *prometheus.CounterVec) error {
	a := cfg.Abuse
	for _, rc := range []rateClass{
		{serving.LimitAPI, "rate-limit", cfg.RateLimit, 0},
		{serving.LimitReports, "rate-limit-reports", a.RateReports, 30},
		{serving.LimitIdentify, "rate-limit-identify", a.RateIdentify, 3},
		{serving.LimitSignIn, "rate-limit-signin", a.RateSignIn, 10},
		{serving.LimitAudio, "rate-limit-audio", a.RateAudio, 40},
	} {
		if rc.perSec < 0 {
			return fmt.Errorf("%s %g: want a rate >= 0 (0: no limit)", cfg.Source(rc.flag), rc.perSec)
		}
		if rc.perSec == 0 {
			continue
		}
		rate := music.Rate{PerSecond: rc.perSec, Burst: max(int(2*rc.perSec)+1, rc.minBurst)}
		var l music.RateLimiter = serving.NewMemoryLimiter(rate)
		if shared != nil {
			l = &serving.FallbackLimiter{Shared: redis.NewLimiter(shared, "music:rl:", rate), Local: l, Failed: fallbacks.WithLabelValues(rc.class)}
		}
		srv.SetRateLimiter(rc.class, l)
	}
	return nil
}

// shareIdempotencyKeys keeps Idempotency-Key answers in Redis, so a retry
// that reaches another serve process gets the first answer; while Redis
// is down they are kept per process.
func shareIdempotencyKeys(shared *redis.Client, srv *serving.Server) {
	budget := serving.DefaultIdempotencyBudget
	srv.SetIdempotencyStore(serving.FallbackIdempotency{
		Shared: redis.NewIdempotency(shared, "music:idem:", budget),
		Local:  serving.NewMemoryIdempotency(budget, nil),
	})
}

// registerLakeLag exports the lake writer's lag in events and seconds,
// measured on each scrape (deploy/prometheus/alerts.yml has the alerts).
func registerLakeLag(srv *serving.Server, log *natslog.Log) {
	srv.Registry().MustRegister(log.LagCollectors()...)
}
