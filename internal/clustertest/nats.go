//go:build cluster

package clustertest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// natsNodes is the size of the JetStream cluster: the playback stream
// runs at 3 replicas, so one node can die and a quorum of 2 remains.
const natsNodes = 3

// NATS is a JetStream cluster of natsNodes nats-server processes.
type NATS struct {
	Nodes    []*Proc
	clients  []string // nats://127.0.0.1:PORT per node
	monitors []string // http://127.0.0.1:PORT per node
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
		n.monitors = append(n.monitors, fmt.Sprintf("http://127.0.0.1:%d", monitor))
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

// StreamLeader is the node that leads stream's Raft group now, as the
// first node that answers /jsz says.
func (n *NATS) StreamLeader(t testing.TB, stream string) *Proc {
	t.Helper()
	client := &http.Client{Timeout: 5 * time.Second}
	var last error
	for _, m := range n.monitors {
		leader, err := streamLeader(client, m+"/jsz?streams=true", stream)
		if err != nil {
			last = err
			continue
		}
		for i, p := range n.Nodes {
			if leader == fmt.Sprintf("n%d", i+1) {
				return p
			}
		}
		last = fmt.Errorf("%s: leader %q is no node of ours", m, leader)
	}
	t.Fatalf("no leader of stream %s: %v", stream, last)
	return nil
}

// streamLeader reads the leader's server name of stream from a /jsz
// answer.
func streamLeader(client *http.Client, url, stream string) (string, error) {
	resp, err := client.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var jsz struct {
		Accounts []struct {
			Streams []struct {
				Name    string `json:"name"`
				Cluster struct {
					Leader string `json:"leader"`
				} `json:"cluster"`
			} `json:"stream_detail"`
		} `json:"account_details"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&jsz); err != nil {
		return "", fmt.Errorf("%s: %v", url, err)
	}
	for _, a := range jsz.Accounts {
		for _, s := range a.Streams {
			if s.Name == stream && s.Cluster.Leader != "" {
				return s.Cluster.Leader, nil
			}
		}
	}
	return "", fmt.Errorf("%s: no stream %s with a leader", url, stream)
}

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
