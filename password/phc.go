package password

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
)

// Params are argon2id's cost parameters.
type Params struct {
	MemoryKiB uint32 // m
	Time      uint32 // t, passes
	Threads   uint8  // p, lanes
}

// Default are the parameters new hashes get.
var Default = Params{MemoryKiB: 19 * 1024, Time: 2, Threads: 1}

// Bounds of what Parse accepts: a stored hash with huge parameters would
// make every sign-in of that account a denial of service.
const (
	maxMemoryKiB = 256 * 1024
	maxTime      = 16
	maxThreads   = 16
	minSaltLen   = 8
	maxSaltLen   = 64
	minKeyLen    = 16
	maxKeyLen    = 64
	maxPHCLen    = 256
)

// PHC is a parsed argon2id PHC string.
type PHC struct {
	Params
	Salt []byte
	Key  []byte
}

// String formats the hash as a PHC string.
func (p PHC) String() string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", p.MemoryKiB, p.Time, p.Threads,
		b64.EncodeToString(p.Salt), b64.EncodeToString(p.Key))
}

// Parse reads an argon2id PHC string. Anything else (another algorithm,
// version or field order, parameters out of bounds, bad base64) is an
// error naming the part that is wrong.
func Parse(s string) (PHC, error) {
	var p PHC
	if len(s) > maxPHCLen {
		return p, fmt.Errorf("password hash: %d bytes, want at most %d", len(s), maxPHCLen)
	}
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" {
		return p, fmt.Errorf("password hash: want $argon2id$v=19$m=…,t=…,p=…$salt$hash")
	}
	if parts[1] != "argon2id" {
		return p, fmt.Errorf("password hash: algorithm %q, want argon2id", parts[1])
	}
	if parts[2] != "v=19" {
		return p, fmt.Errorf("password hash: version %q, want v=19", parts[2])
	}
	if err := p.parseParams(parts[3]); err != nil {
		return p, err
	}
	var err error
	if p.Salt, err = decode("salt", parts[4], minSaltLen, maxSaltLen); err != nil {
		return p, err
	}
	if p.Key, err = decode("hash", parts[5], minKeyLen, maxKeyLen); err != nil {
		return p, err
	}
	return p, nil
}

// parseParams reads "m=…,t=…,p=…" in that order.
func (p *PHC) parseParams(s string) error {
	fields := strings.Split(s, ",")
	if len(fields) != 3 {
		return fmt.Errorf("password hash: parameters %q, want m=…,t=…,p=…", s)
	}
	var vals [3]uint64
	for i, name := range []string{"m", "t", "p"} {
		k, v, ok := strings.Cut(fields[i], "=")
		if !ok || k != name {
			return fmt.Errorf("password hash: parameter %d is %q, want %s=…", i+1, fields[i], name)
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil || (len(v) > 1 && v[0] == '0') {
			return fmt.Errorf("password hash: parameter %s=%q is not a number", name, v)
		}
		vals[i] = n
	}
	m, t, th := vals[0], vals[1], vals[2]
	switch {
	case m < 8*th || m > maxMemoryKiB:
		return fmt.Errorf("password hash: m=%d KiB, want 8×p to %d", m, maxMemoryKiB)
	case t < 1 || t > maxTime:
		return fmt.Errorf("password hash: t=%d, want 1 to %d", t, maxTime)
	case th < 1 || th > maxThreads:
		return fmt.Errorf("password hash: p=%d, want 1 to %d", th, maxThreads)
	}
	p.Params = Params{MemoryKiB: uint32(m), Time: uint32(t), Threads: uint8(th)}
	return nil
}

func decode(field, s string, minLen, maxLen int) ([]byte, error) {
	b, err := base64.RawStdEncoding.Strict().DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("password hash: %s is not unpadded base64: %v", field, err)
	}
	if len(b) < minLen || len(b) > maxLen {
		return nil, fmt.Errorf("password hash: %s is %d bytes, want %d to %d", field, len(b), minLen, maxLen)
	}
	return b, nil
}
