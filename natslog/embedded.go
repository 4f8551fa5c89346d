package natslog

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// Embedded is a nats-server with JetStream running in this process. It
// listens on no port (this machine's own nats-server holds 4222); clients
// in the process connect through Connect.
type Embedded struct {
	srv *server.Server
}

// StartEmbedded starts a JetStream server storing under dir, with its log
// discarded (StartEmbeddedLogged keeps it). Writes reach the operating
// system before a publish is acknowledged, so a killed process loses
// nothing acknowledged; syncAlways also fsyncs each write, which a power
// loss needs (a cluster with replicas is the usual answer).
func StartEmbedded(dir string, syncAlways bool) (*Embedded, error) {
	return StartEmbeddedLogged(dir, syncAlways, nil)
}

// StartEmbeddedLogged is StartEmbedded with the server's log sent to log
// (nil discards it).
func StartEmbeddedLogged(dir string, syncAlways bool, log *slog.Logger) (*Embedded, error) {
	srv, err := server.NewServer(&server.Options{
		ServerName: "musicctl-embedded",
		DontListen: true,
		JetStream:  true,
		StoreDir:   dir,
		SyncAlways: syncAlways,
		NoSigs:     true,
		NoLog:      true,
	})
	if err != nil {
		return nil, fmt.Errorf("nats server: %w", err)
	}
	if log != nil {
		log = log.With("component", "nats-server")
		srv.SetLogger(serverLog{log}, log.Enabled(context.Background(), slog.LevelDebug), false)
	}
	srv.Start()
	if !srv.ReadyForConnections(30 * time.Second) {
		srv.Shutdown()
		return nil, fmt.Errorf("nats server in %s: not ready after 30s", dir)
	}
	return &Embedded{srv: srv}, nil
}

// Connect opens the log on this server, in process.
func (e *Embedded) Connect(ctx context.Context, opts Options) (*Log, error) {
	nc, err := nats.Connect("", nats.InProcessServer(e.srv), nats.Name("musicctl"))
	if err != nil {
		return nil, fmt.Errorf("nats in-process: %w", err)
	}
	return open(ctx, nc, opts)
}

// Stop shuts the server down.
func (e *Embedded) Stop() {
	e.srv.Shutdown()
	e.srv.WaitForShutdown()
}
