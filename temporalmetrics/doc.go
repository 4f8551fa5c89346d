// Package temporalmetrics exports the Temporal Go SDK's metrics, and the
// workers' own retry and batch figures, to Prometheus: Handler is a
// client.MetricsHandler onto client_golang, and Interceptor counts the
// attempts after a first one.
package temporalmetrics
