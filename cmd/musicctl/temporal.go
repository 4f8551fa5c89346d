package main

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
)

// dialTemporal connects to the frontend at addr; flag names the setting
// that chose addr so a failure says what to fix.
func dialTemporal(ctx context.Context, cfg *Config, addr, flag string) (client.Client, error) {
	ctx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	c, err := client.DialContext(ctx, client.Options{
		HostPort:       addr,
		Namespace:      cfg.Namespace,
		Logger:         sdklog.NewStructuredLogger(cfg.Logger.With("component", "temporal-sdk")),
		MetricsHandler: cfg.TemporalMetrics,
	})
	if err != nil {
		return nil, fmt.Errorf("%s %s: cannot reach Temporal: %v", flag, addr, err)
	}
	return c, nil
}

// defaultTemporalAddress is where worker, serve and smoke look for the
// frontend when --temporal-address is not given: a local `musicctl up`.
const defaultTemporalAddress = "127.0.0.1:7233"

// dialClusterTemporal connects to --temporal-address, or to a local `up`.
func dialClusterTemporal(ctx context.Context, cfg *Config) (client.Client, string, error) {
	addr := cfg.TemporalAddress
	if addr == "" {
		addr = defaultTemporalAddress
	}
	c, err := dialTemporal(ctx, cfg, addr, cfg.Source("temporal-address"))
	return c, addr, err
}

// dialTimeout bounds the first connection, so an unreachable cluster is a
// prompt error rather than a hang.
const dialTimeout = 10 * time.Second
