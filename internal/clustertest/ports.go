//go:build cluster

package clustertest

import (
	"fmt"
	"math/rand/v2"
	"net"
	"testing"
)

// Ports below the kernel's ephemeral range (32768 and up on Linux):
// Temporal stores every member's ports in a smallint column, and a
// process that restarts on a fixed port must not find it taken by some
// client's outgoing connection.
const lowPortMin, lowPortMax = 20000, 32767

// freePort returns a loopback port in the low range that nobody listens
// on now.
func freePort(t testing.TB) int {
	t.Helper()
	for range 200 {
		port := lowPortMin + rand.IntN(lowPortMax-lowPortMin)
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			continue
		}
		ln.Close()
		return port
	}
	t.Fatalf("no free port in %d-%d after 200 tries", lowPortMin, lowPortMax)
	return 0
}

// freeAddr is freePort as host:port.
func freeAddr(t testing.TB) string {
	return fmt.Sprintf("127.0.0.1:%d", freePort(t))
}
