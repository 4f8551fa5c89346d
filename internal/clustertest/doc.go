// Package clustertest runs the platform as a multi-process deployment on
// loopback, every engine its own process: PostgreSQL (internal/pgtest),
// two musicctl-temporal servers on it, a 3-node NATS JetStream cluster,
// MinIO on 4 erasure-coded drives, Redis, two `musicctl worker`, two
// `musicctl serve` and a round-robin front. Its tests kill parts of it
// with SIGKILL and check that nothing acknowledged is lost
// (docs/cluster.md).
//
// Everything but this comment and compareOutputs (with its unit tests)
// is behind the build tag "cluster", so `make test` does not start a
// deployment; `make cluster-test` runs the tests and `make cluster` holds
// a deployment up for a person to use.
package clustertest
