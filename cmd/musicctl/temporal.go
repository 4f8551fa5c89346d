package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
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
	if err := checkNamespace(ctx, c, cfg, addr); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// checkNamespace fails when --namespace does not exist on the server: a
// worker polling a namespace nobody starts work in would otherwise sit
// idle beside the real workers without a word.
func checkNamespace(ctx context.Context, c client.Client, cfg *Config, addr string) error {
	_, err := c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: cfg.Namespace})
	var notFound *serviceerror.NamespaceNotFound
	if errors.As(err, &notFound) {
		return fmt.Errorf("%s %q: no such namespace on the Temporal server at %s; give the namespace the other workers use, or create it (temporal operator namespace create %s)",
			cfg.Source("namespace"), cfg.Namespace, addr, cfg.Namespace)
	}
	if err != nil {
		return fmt.Errorf("%s %q on the Temporal server at %s: %v", cfg.Source("namespace"), cfg.Namespace, addr, err)
	}
	return nil
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
