package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"go.temporal.io/sdk/client"
)

// Config is every setting of every command, filled from flags and, for a
// flag not given on the command line, from its MUSIC_* environment
// variable (--data-dir ⇐ MUSIC_DATA_DIR). Commands read only this struct.
type Config struct {
	DataDir string
	DB      string // catalog DSN; "" means SQLite under DataDir
	Blob    string // blob store URL; "" means file://DataDir/blobs
	ESURL   string // Elasticsearch URL; "" means the embedded Bleve index
	NATSURL string // NATS cluster URL; "" means up embeds a server
	// RedisURL holds what processes share beyond the catalog: the
	// recommendation cache, rate limits, Connect devices and player state;
	// "" means the catalog DB, per-process limits and in-process players.
	RedisURL string

	LakeFlush time.Duration // how long the lake writer gathers a batch

	HTTPAddr        string
	StreamKey       string          // hex HMAC key of stream URLs; "" means DATA_DIR/stream.key
	StreamTTL       time.Duration   // shortest lifetime of a signed stream URL
	CDNBaseURL      string          // host put in front of stream URLs
	S3Delivery      string          // proxy or redirect
	GeoHeader       string          // header a trusted edge puts the client's country in
	DefaultTerr     string          // territory of anonymous searches
	RateLimit       float64         // API requests/s per bearer token; 0 = unlimited
	Abuse           AbuseLimits     // limits.go
	Web             WebPlayer       // webplayer.go
	Podcast         PodcastFlags    // podcastflags.go
	FriendActivity  bool            // friends.go
	Offline         OfflineSettings // offline.go
	TemporalListen  string
	TemporalAddress string // "" under `up` means embed a server
	UIListen        string
	TemporalBin     string // the musicctl-temporal executable; "" means beside musicctl, else on PATH
	UIAuthFile      string // USER:PASSWORD file guarding the Temporal UI
	UIWrite         bool   // the Temporal UI may change workflows
	Namespace       string

	JSON bool

	LogFormat string       // text or json
	LogLevel  string       // debug, info, warn or error
	Logger    *slog.Logger // built from LogFormat and LogLevel by Load's caller; every part logs here
	// TemporalMetrics records the Temporal SDK's metrics of the clients
	// dialled after it is set (worker and up: instrumentWorkers).
	TemporalMetrics client.MetricsHandler
	MetricsListen   string // worker: --metrics-listen, "" for no endpoint
	Token           string // bearer token of the account running the command

	// fromEnv records the flags that took their value from the environment,
	// so errors can name the variable the user actually set.
	fromEnv map[string]string
}

// BindGlobal declares the flags every command shares.
func (c *Config) BindGlobal(fs *pflag.FlagSet) {
	fs.StringVar(&c.DataDir, "data-dir", "./musicdata", "directory for all embedded state")
	fs.StringVar(&c.DB, "db", "", "catalog database: a SQLite file path or postgres://… (default: SQLite in the data dir)")
	fs.StringVar(&c.Blob, "blob", "", "blob store: file://DIR or s3://bucket[/prefix][?endpoint=URL&region=R&path_style=true] (default: file://DATA_DIR/blobs)")
	fs.StringVar(&c.ESURL, "es-url", "", "search with Elasticsearch at this URL instead of the Bleve index in the data dir")
	fs.StringVar(&c.NATSURL, "nats-url", "", "NATS JetStream cluster for playback events, e.g. nats://nats:4222 (default: up embeds a server; serve and worker need it for playback)")
	fs.StringVar(&c.RedisURL, "redis-url", "", "Redis (redis://host:6379/0) that every process shares the recommendation cache, rate limits, Connect devices and player state through (default: the cache in the catalog DB, limits and player state per process)")
	fs.StringVar(&c.TemporalAddress, "temporal-address", "", "host:port of an external Temporal frontend")
	fs.StringVar(&c.Namespace, "namespace", "default", "Temporal namespace")
	fs.StringVar(&c.LogFormat, "log-format", "text", "log format on stderr: text or json")
	fs.StringVar(&c.LogLevel, "log-level", "info", "least severe log level shown: debug, info, warn or error")
}

// BindJSON declares --json on a command that reports something.
func (c *Config) BindJSON(fs *pflag.FlagSet) {
	fs.BoolVar(&c.JSON, "json", false, "print machine-readable JSON")
}

// BindToken declares --token (MUSIC_TOKEN) and --token-file: the bearer
// token of the account a command acts as. what says which account.
func (c *Config) BindToken(fs *pflag.FlagSet, what string) {
	fs.StringVar(&c.Token, "token", "", "bearer token of "+what+" (prefer MUSIC_TOKEN or --token-file: the command line is visible to other users)")
	bindSecretFile(fs, "token")
}

// BindHTTP declares the HTTP listen address.
func (c *Config) BindHTTP(fs *pflag.FlagSet) {
	fs.StringVar(&c.HTTPAddr, "http", "127.0.0.1:8080", "HTTP listen address (port 0 picks a free port)")
	fs.StringVar(&c.StreamKey, "stream-key", "", "hex HMAC-SHA256 key (at least 32 bytes) that signs stream URLs; every serving process needs the same one (default: DATA_DIR/stream.key, created on first use)")
	bindSecretFile(fs, "stream-key")
	fs.DurationVar(&c.StreamTTL, "stream-ttl", 6*time.Hour, "shortest lifetime of a signed stream URL")
	fs.StringVar(&c.CDNBaseURL, "cdn-base-url", "", "put this CDN host (https://cdn.example.com) in front of stream URLs")
	fs.Float64Var(&c.RateLimit, "rate-limit", 50, "API requests per second per bearer token, with bursts of twice that (0: no limit)")
	fs.StringVar(&c.DefaultTerr, "default-territory", "US", "ISO 3166-1 alpha-2 territory whose licences anonymous searches see")
	fs.StringVar(&c.GeoHeader, "geo-header", "", "request header in which a trusted CDN or load balancer states the client's country (e.g. CF-IPCountry); audio URLs issued for another territory are then refused")
	fs.StringVar(&c.S3Delivery, "s3-delivery", "proxy", "audio from S3: proxy (range pass-through) or redirect (302 to a presigned URL)")
	c.BindOffline(fs)
}

// BindEmbedded declares the listen addresses of the embedded servers.
func (c *Config) BindEmbedded(fs *pflag.FlagSet) {
	fs.StringVar(&c.TemporalListen, "temporal-listen", "127.0.0.1:7233", "embedded Temporal frontend address (port 0 picks a free port)")
	fs.StringVar(&c.TemporalBin, "temporal-server-bin", "", "the musicctl-temporal executable that runs the embedded server (default: beside musicctl, else on PATH)")
	fs.StringVar(&c.UIListen, "ui-listen", "127.0.0.1:8233", "Temporal Web UI address (empty disables the UI); a non-loopback one needs --temporal-ui-auth")
	fs.StringVar(&c.UIAuthFile, "temporal-ui-auth", "", "file holding one USER:PASSWORD line: the Temporal UI answers only with it (basic auth; put TLS in front)")
	fs.BoolVar(&c.UIWrite, "temporal-ui-write", false, "let the Temporal UI cancel, terminate, signal, reset and start workflows (default: read-only)")
}

// BindLakeWriter declares the settings of the lake writer (up, worker).
func (c *Config) BindLakeWriter(fs *pflag.FlagSet) {
	fs.DurationVar(&c.LakeFlush, "lake-flush", 10*time.Second, "how long the lake writer gathers events before writing a Parquet batch when the log is idle")
}

// Load applies MUSIC_* variables to every flag that was not set explicitly.
func (c *Config) Load(fs *pflag.FlagSet) error {
	c.fromEnv = map[string]string{}
	var firstErr error
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Changed || firstErr != nil {
			return
		}
		name := envName(f.Name)
		v, ok := os.LookupEnv(name)
		if !ok {
			return
		}
		if err := fs.Set(f.Name, v); err != nil {
			firstErr = fmt.Errorf("%s=%q: %v", name, v, err)
			return
		}
		c.fromEnv[f.Name] = name
	})
	if firstErr != nil {
		return firstErr
	}
	return c.loadSecretFiles(fs)
}

// Source names where flag's value came from, for error messages:
// "MUSIC_DB" when the environment set it, "--db" otherwise.
func (c *Config) Source(flag string) string {
	if env, ok := c.fromEnv[flag]; ok {
		return env
	}
	return "--" + flag
}

// EnsureDataDir creates the data dir (owner-only: it holds the catalog,
// tokens' hashes and the stream key) when it does not exist yet. Every
// command that opens state calls it first.
func (c *Config) EnsureDataDir() error {
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return fmt.Errorf("%s %s: %v", c.Source("data-dir"), c.DataDir, errors.Unwrap(err))
	}
	return nil
}

// DataPath joins parts under the data dir.
func (c *Config) DataPath(parts ...string) string {
	return filepath.Join(append([]string{c.DataDir}, parts...)...)
}

// envName maps a flag name to its environment variable.
func envName(flag string) string {
	return "MUSIC_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}
