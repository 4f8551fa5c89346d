// Package webfetch fetches URLs that outsiders choose (podcast feeds and
// their enclosures) without letting them reach inside the network.
//
// The address check happens when the connection is dialled, after DNS
// resolution, so a name that resolves to 127.0.0.1 or to a cloud metadata
// address (169.254.169.254) is refused however it is spelled, and a DNS
// answer that changes between a check and the connect (rebinding) cannot
// slip through. Proxies from the environment are ignored for the same
// reason. Every request has a deadline, redirects are capped and checked
// like the first URL, and bodies stop at a byte cap.
package webfetch
