//go:build cluster

package clustertest

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
)

// startRedis runs a redis-server of the cluster's own (the machine's
// Redis on 6379 is shared with other tests), without persistence.
func startRedis(t testing.TB, bin, dir string) (*Proc, string) {
	t.Helper()
	addr := freeAddr(t)
	_, port, _ := net.SplitHostPort(addr)
	spec := Spec{Name: "redis", Bin: bin, Args: []string{"--bind", "127.0.0.1", "--port", port, "--save", "", "--appendonly", "no", "--dir", dir},
		Probe: redisPing(addr)}
	return startProc(t, dir, spec), "redis://" + addr + "/0"
}

// redisPing answers nil once Redis replies PONG.
func redisPing(addr string) func(context.Context) error {
	return func(ctx context.Context) error {
		var d net.Dialer
		c, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return err
		}
		defer c.Close()
		if dl, ok := ctx.Deadline(); ok {
			c.SetDeadline(dl)
		}
		if _, err := c.Write([]byte("PING\r\n")); err != nil {
			return err
		}
		line, err := bufio.NewReader(c).ReadString('\n')
		if err != nil {
			return err
		}
		if !strings.HasPrefix(line, "+PONG") {
			return fmt.Errorf("redis answered %q", line)
		}
		return nil
	}
}
