package serving

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// ClientIP is the address rate limits key anonymous callers by: the TCP
// peer, or, when the peer is one of s.TrustedProxies, the right-most
// X-Forwarded-For entry that is not a trusted proxy (entries further left
// are whatever the client chose to send). IPv6 addresses are cut to their
// /64, the block one subscriber gets, so rotating through it buys nothing.
func (s *Server) ClientIP(r *http.Request) string {
	peer := parseAddr(r.RemoteAddr)
	if peer.IsValid() && s.trusted(peer) {
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			a := parseAddr(strings.TrimSpace(hops[i]))
			if !a.IsValid() {
				break // a malformed hop: trust nothing left of it
			}
			peer = a
			if !s.trusted(a) {
				break
			}
		}
	}
	if !peer.IsValid() {
		return "unknown"
	}
	return addrKey(peer)
}

func (s *Server) trusted(a netip.Addr) bool {
	for _, p := range s.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// parseAddr reads "ip", "ip:port" or "[ipv6]:port"; invalid is the zero
// Addr.
func parseAddr(s string) netip.Addr {
	if host, _, err := net.SplitHostPort(s); err == nil {
		s = host
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap().WithZone("")
}

// addrKey is the key of an address: IPv4 whole, IPv6 by its /64.
func addrKey(a netip.Addr) string {
	if a.Is4() {
		return a.String()
	}
	p, err := a.Prefix(64)
	if err != nil {
		return a.String()
	}
	return p.String()
}
