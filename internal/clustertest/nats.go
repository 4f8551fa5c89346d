//go:build cluster

package clustertest

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// natsNodes is the size of the JetStream cluster: the playback stream
// runs at 3 replicas, so one node can die and a quorum of 2 remains.
const natsNodes = 3

// NATS is a JetStream cluster of natsNodes nats-server processes.
type NATS struct {
	Nodes   []*Proc
	clients []string // nats://127.0.0.1:PORT per node
}

// startNATS launches every node (a node is healthy only once the others
// route to it, so all start before any is waited for).
func startNATS(t testing.TB, bin, dir string) *NATS {
	t.Helper()
	n := &NATS{}
	var routes []string
	clusterPorts := make([]int, natsNodes)
	for i := range clusterPorts {
		clusterPorts[i] = freePort(t)
		routes = append(routes, fmt.Sprintf("nats://127.0.0.1:%d", clusterPorts[i]))
	}
	for i := range natsNodes {
		client, monitor := freePort(t), freePort(t)
		spec := Spec{
			Name: fmt.Sprintf("nats-%d", i+1),
			Bin:  bin,
			Args: []string{"-a", "127.0.0.1", "-p", fmt.Sprint(client), "-m", fmt.Sprint(monitor),
				"-js", "-sd", filepath.Join(dir, fmt.Sprintf("nats-%d", i+1)),
				"--server_name", fmt.Sprintf("n%d", i+1), "--cluster_name", "music",
				"--cluster", fmt.Sprintf("nats://127.0.0.1:%d", clusterPorts[i]),
				"--routes", strings.Join(routes, ",")},
			Probe: healthz(fmt.Sprintf("http://127.0.0.1:%d/healthz", monitor)),
		}
		p := &Proc{Spec: spec, Log: filepath.Join(dir, spec.Name+".log")}
		p.launch(t)
		t.Cleanup(p.Stop)
		n.Nodes = append(n.Nodes, p)
		n.clients = append(n.clients, fmt.Sprintf("nats://127.0.0.1:%d", client))
	}
	return n
}

// waitReady waits until every node reports healthy.
func (n *NATS) waitReady(t testing.TB) {
	t.Helper()
	for _, p := range n.Nodes {
		p.WaitReady(t)
	}
}

// URLs is the comma-separated list of every node's client URL, as
// --nats-url takes it: clients fail over between them.
func (n *NATS) URLs() string { return strings.Join(n.clients, ",") }

// healthz probes nats-server's monitoring endpoint, which answers 200
// once the server, and its JetStream, are current with the cluster.
func healthz(url string) func(context.Context) error {
	return func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
		if err != nil {
			return err
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("%s: %s", url, resp.Status)
		}
		return nil
	}
}
