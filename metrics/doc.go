// Package metrics is a process's Prometheus registry and the small HTTP
// endpoint (/metrics and /healthz) that a process without the API, such
// as `musicctl worker`, serves it on. serve and up expose the same
// registry through the serving layer.
package metrics
