package temporalserver

import (
	"fmt"
	"math/rand/v2"
	"net"
	"strconv"
	"time"
)

// ports are the four services' gRPC ports on one host.
type ports struct {
	host         string
	frontend     string // host:port
	frontendPort int
	history      int
	matching     int
	worker       int
	// membership are the ringpop ports of frontend, history, matching and
	// worker, by which server processes sharing a database find each other.
	membership [4]int
}

// reservePorts resolves the frontend address (port 0 picks a free port)
// and picks free ports for the internal services. It fails with a clear
// message when the requested frontend port is taken.
func reservePorts(frontendAddr string) (ports, error) {
	host, port, err := checkListen("--temporal-listen", frontendAddr)
	if err != nil {
		return ports{}, err
	}
	p := ports{host: host, frontendPort: port}
	p.frontend = net.JoinHostPort(host, strconv.Itoa(port))
	for _, dst := range []*int{&p.history, &p.matching, &p.worker, &p.membership[0], &p.membership[1], &p.membership[2], &p.membership[3]} {
		if *dst, err = freeSmallPort(host); err != nil {
			return ports{}, err
		}
	}
	return p, nil
}

// freeSmallPort picks a free port below 32768: the cluster_membership
// table keeps ports as a PostgreSQL smallint, and Linux hands out
// ephemeral ports above it.
func freeSmallPort(host string) (int, error) {
	var err error
	for i := 0; i < 100; i++ {
		port := 20000 + rand.IntN(12000)
		if _, port, err = checkListen("internal service port", net.JoinHostPort(host, strconv.Itoa(port))); err == nil {
			return port, nil
		}
	}
	return 0, err
}

// checkListen binds addr once to prove it is free (and to learn the port
// when it is 0), then releases it for the server to take.
func checkListen(what, addr string) (string, int, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, fmt.Errorf("%s %q: want host:port", what, addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", 0, fmt.Errorf("%s %s: %v", what, addr, unwrapOpError(err))
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return host, port, nil
}

// unwrapOpError drops net.OpError's "listen tcp …:" prefix, since the
// caller already names the address.
func unwrapOpError(err error) error {
	if op, ok := err.(*net.OpError); ok && op.Err != nil {
		return op.Err
	}
	return err
}

// waitTCP waits until something accepts connections at addr.
func waitTCP(addr string) error {
	var err error
	for i := 0; i < 200; i++ {
		var c net.Conn
		if c, err = net.Dial("tcp", addr); err == nil {
			c.Close()
			return nil
		}
		time.Sleep(25 * time.Millisecond)
	}
	return fmt.Errorf("nothing listening after 5s: %v", err)
}
