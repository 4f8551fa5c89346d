// Package temporalserver embeds a real Temporal server (frontend, history,
// matching and worker services) in the current process, persisted in
// SQLite under the data dir, with the Temporal Web UI beside it. It is its
// own package so that only the binary and its end-to-end tests link the
// server; every other package talks to Temporal through the SDK client.
package temporalserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/membership/static"
	sqliteplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/sqlite"
	"go.temporal.io/server/common/primitives"
	sqliteschema "go.temporal.io/server/schema/sqlite"
	"go.temporal.io/server/temporal"
)

// Config says where the embedded server keeps its state and listens.
type Config struct {
	// Dir holds the SQLite database; unused with DB.
	Dir string
	// DB, a postgres:// URL, puts the server on PostgreSQL instead of
	// SQLite (the database, and NAME_visibility beside it, are created and
	// their schemas applied when missing). Several server processes can
	// share one: they find each other through the database (ringpop) and
	// share the history shards.
	DB string
	// FrontendAddr is host:port for the gRPC frontend; port 0 picks one.
	FrontendAddr string
	// UIAddr is host:port for the Web UI; "" disables the UI. An address
	// other machines can reach needs UIAuth; the frontend always listens
	// on loopback (see checkExposure).
	UIAddr string
	// UIAuth is USER:PASSWORD: the UI then listens on loopback behind a
	// basic-auth proxy at UIAddr. Use it with TLS in front.
	UIAuth string
	// UIWriteActions lets the UI cancel, terminate, signal, reset and
	// start workflows; off, the UI is read-only.
	UIWriteActions bool
	// Namespace is created on first start.
	Namespace string
	// Logger receives the server's log (see serverLog for the levels);
	// nil discards it.
	Logger *slog.Logger
}

// Server is a running embedded Temporal server.
type Server struct {
	srv      temporal.Server
	ui       *uiServer
	frontend string
	log      serverLog
}

// clusterID is fixed so that every start of the same data dir agrees;
// the server insists on a UUID.
const clusterID = "5b0f0f6e-7d1c-4f7a-9a55-6d2c0c6d7e10"

const clusterName = "active"

// Start launches the server and returns once its frontend answers health
// checks. Errors name the flag-level setting that is wrong.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Namespace == "" {
		cfg.Namespace = "default"
	}
	if err := checkExposure(cfg); err != nil {
		return nil, err
	}
	ports, err := reservePorts(cfg.FrontendAddr)
	if err != nil {
		return nil, err
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	logger := newServerLog(cfg.Logger)
	var opts []temporal.ServerOption
	if cfg.DB != "" {
		var release func()
		if opts, release, err = postgresOptions(ctx, cfg.DB, ports); err == nil {
			// Held until this server answers, so servers sharing the
			// database start one at a time.
			defer release()
		}
	} else {
		opts, err = sqliteOptions(cfg, ports)
	}
	if err != nil {
		return nil, err
	}
	opts = append(opts, temporal.ForServices(temporal.DefaultServices), temporal.WithLogger(logger))
	srv, err := temporal.NewServer(opts...)
	if err != nil {
		return nil, fmt.Errorf("temporal server: %w", err)
	}
	if err := srv.Start(); err != nil {
		return nil, fmt.Errorf("temporal server start: %w", err)
	}
	s := &Server{srv: srv, frontend: ports.frontend, log: logger}
	if cfg.DB != "" {
		err = registerNamespace(ctx, s.frontend, cfg.Namespace, sdkLogger(cfg.Logger))
	} else {
		err = waitHealthy(ctx, s.frontend, cfg.Namespace, sdkLogger(cfg.Logger))
	}
	if err != nil {
		s.Stop()
		return nil, err
	}
	if cfg.UIAddr != "" {
		ui, err := startUI(cfg, s.frontend)
		if err != nil {
			s.Stop()
			return nil, err
		}
		s.ui = ui
	}
	return s, nil
}

// sqliteOptions keeps the server in one SQLite file under cfg.Dir, with
// one history shard and static membership: a single process.
func sqliteOptions(cfg Config, ports ports) ([]temporal.ServerOption, error) {
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("temporal data dir %s: %w", cfg.Dir, err)
	}
	sqlCfg := &config.SQL{
		PluginName:   sqliteplugin.PluginName,
		DatabaseName: filepath.Join(cfg.Dir, "temporal.db"),
		// Passed through as pragmas. WAL keeps readers off the writer's
		// back; synchronous=NORMAL under WAL survives a process kill, which
		// is the durability `up` promises (not power loss).
		ConnectAttributes: map[string]string{
			"mode":         "rwc",
			"journal_mode": "wal",
			"synchronous":  "1",
			"busy_timeout": "10000",
		},
	}
	if err := prepareDatabase(sqlCfg, cfg.Namespace); err != nil {
		return nil, err
	}

	serverCfg := buildConfig(sqlCfg, sqlCfg, 1, ports)
	return []temporal.ServerOption{temporal.WithConfig(serverCfg), temporal.WithStaticHosts(staticHosts(ports))}, nil
}

// FrontendAddr is the host:port SDK clients dial.
func (s *Server) FrontendAddr() string { return s.frontend }

// UIAddr is the Web UI's host:port, or "" when it is disabled.
func (s *Server) UIAddr() string {
	if s.ui == nil {
		return ""
	}
	return s.ui.addr
}

// Stop shuts the UI and the server down.
func (s *Server) Stop() {
	if s.ui != nil {
		s.ui.stop()
	}
	// Shutdown makes every poller fail once; those warnings are noise.
	s.log.raiseFloor(slog.LevelError)
	_ = s.srv.Stop()
}

// prepareDatabase creates the schema on a new database file and registers
// the namespace (idempotent).
func prepareDatabase(sqlCfg *config.SQL, namespace string) error {
	if _, err := os.Stat(sqlCfg.DatabaseName); errors.Is(err, os.ErrNotExist) {
		if err := sqliteschema.SetupSchema(sqlCfg); err != nil {
			// A half-made schema would fail every later start.
			os.Remove(sqlCfg.DatabaseName)
			return fmt.Errorf("temporal schema in %s: %w", sqlCfg.DatabaseName, err)
		}
	}
	ns, err := sqliteschema.NewNamespaceConfig(clusterName, namespace, false, nil)
	if err != nil {
		return fmt.Errorf("temporal namespace %q: %w", namespace, err)
	}
	if err := sqliteschema.CreateNamespaces(sqlCfg, ns); err != nil {
		return fmt.Errorf("temporal namespace %q: %w", namespace, err)
	}
	return nil
}

func buildConfig(sqlCfg, visibilityCfg *config.SQL, shards int32, p ports) *config.Config {
	svc := func(port, membership int) config.Service {
		return config.Service{RPC: config.RPC{GRPCPort: port, MembershipPort: membership, BindOnIP: p.host}}
	}
	visibilityStore, stores := sqlCfg.PluginName, map[string]config.DataStore{sqlCfg.PluginName: {SQL: sqlCfg}}
	if visibilityCfg != sqlCfg {
		visibilityStore = "visibility"
		stores[visibilityStore] = config.DataStore{SQL: visibilityCfg}
	}
	return &config.Config{
		Global: config.Global{
			Membership: config.Membership{MaxJoinDuration: 30 * time.Second, BroadcastAddress: p.host},
		},
		Persistence: config.Persistence{
			DefaultStore:     sqlCfg.PluginName,
			VisibilityStore:  visibilityStore,
			NumHistoryShards: shards,
			DataStores:       stores,
		},
		ClusterMetadata: &cluster.Config{
			FailoverVersionIncrement: 10,
			MasterClusterName:        clusterName,
			CurrentClusterName:       clusterName,
			ClusterInformation: map[string]cluster.ClusterInformation{
				clusterName: {
					Enabled:                true,
					InitialFailoverVersion: 1,
					RPCAddress:             p.frontend,
					ClusterID:              clusterID,
				},
			},
		},
		DCRedirectionPolicy: config.DCRedirectionPolicy{Policy: "noop"},
		Services: map[string]config.Service{
			"frontend": svc(p.frontendPort, p.membership[0]),
			"history":  svc(p.history, p.membership[1]),
			"matching": svc(p.matching, p.membership[2]),
			"worker":   svc(p.worker, p.membership[3]),
		},
		Archival: config.Archival{
			History:    config.HistoryArchival{State: "disabled"},
			Visibility: config.VisibilityArchival{State: "disabled"},
		},
		NamespaceDefaults: config.NamespaceDefaults{
			Archival: config.ArchivalNamespaceDefaults{
				History:    config.HistoryArchivalNamespaceDefaults{State: "disabled"},
				Visibility: config.VisibilityArchivalNamespaceDefaults{State: "disabled"},
			},
		},
		PublicClient: config.PublicClient{HostPort: p.frontend},
	}
}

func staticHosts(p ports) map[primitives.ServiceName]static.Hosts {
	hp := func(port int) static.Hosts { return static.SingleLocalHost(fmt.Sprintf("%s:%d", p.host, port)) }
	return map[primitives.ServiceName]static.Hosts{
		primitives.FrontendService: hp(p.frontendPort),
		primitives.HistoryService:  hp(p.history),
		primitives.MatchingService: hp(p.matching),
		primitives.WorkerService:   hp(p.worker),
	}
}

// waitHealthy polls the frontend until it answers, the namespace is
// usable, or ctx ends.
func waitHealthy(ctx context.Context, addr, namespace string, log sdklog.Logger) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var lastErr error
	for {
		c, err := client.Dial(client.Options{HostPort: addr, Namespace: namespace, Logger: log})
		if err == nil {
			_, err = c.CheckHealth(ctx, &client.CheckHealthRequest{})
			c.Close()
			if err == nil {
				return nil
			}
		}
		lastErr = err
		select {
		case <-ctx.Done():
			return fmt.Errorf("temporal server at %s did not become healthy: %v", addr, lastErr)
		case <-time.After(50 * time.Millisecond):
		}
	}
}
