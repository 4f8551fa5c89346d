package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/openmusic/music/natslog"
)

// openEventLog connects the playback event log: --nats-url when given,
// else, when embed is set (up), a nats-server in this process storing
// under DATA_DIR/nats. Without either the log stays nil and playback
// reports are not served.
func (st *stack) openEventLog(ctx context.Context, cfg *Config, embed bool) error {
	if cfg.NATSURL != "" {
		l, err := natslog.Connect(ctx, cfg.NATSURL, streamOptions(cfg))
		if errors.Is(err, natslog.ErrReplicas) {
			return fmt.Errorf("%s, %s %d: %v; every process must be given the stream's replica count, and the cluster needs at least that many JetStream servers",
				cfg.Source("nats-url"), cfg.Source("nats-replicas"), cfg.Abuse.NATSReplicas, err)
		}
		if err != nil {
			return fmt.Errorf("%s: %v", cfg.Source("nats-url"), err)
		}
		st.Log = l
		st.closers = append(st.closers, func() error { l.Close(); return nil })
		return nil
	}
	if !embed {
		return nil
	}
	srv, err := natslog.StartEmbeddedLogged(cfg.DataPath("nats"), cfg.Abuse.NATSSyncAlways, cfg.Logger)
	if err != nil {
		return err
	}
	st.closers = append(st.closers, func() error { srv.Stop(); return nil })
	l, err := srv.Connect(ctx, streamOptions(cfg))
	if err != nil {
		return err
	}
	st.Log = l
	st.closers = append(st.closers, func() error { l.Close(); return nil })
	return nil
}

// streamOptions are the playback stream's flags.
func streamOptions(cfg *Config) natslog.Options {
	return natslog.Options{Replicas: cfg.Abuse.NATSReplicas, MaxBytes: cfg.Abuse.NATSMaxBytes}
}

// startLakeWriter runs the lake writer until ctx ends; the returned func
// waits for it to stop. Without an event log it does nothing.
func (st *stack) startLakeWriter(ctx context.Context, cfg *Config) (wait func()) {
	if st.Log == nil {
		return func() {}
	}
	host, _ := os.Hostname()
	opts := natslog.WriterOptions{
		FlushEvery: cfg.LakeFlush,
		Exclusive:  cfg.NATSURL == "", // the embedded server has no other clients
		ID:         fmt.Sprintf("%s:%d", host, os.Getpid()),
		Logf:       func(format string, args ...any) { cfg.Logger.Warn(fmt.Sprintf(format, args...)) },
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		_ = st.Log.RunLakeWriter(ctx, st.Blobs, opts)
	}()
	return wg.Wait
}
