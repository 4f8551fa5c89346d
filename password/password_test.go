package password

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestHashVerify(t *testing.T) {
	ctx := context.Background()
	h, err := Hash(ctx, "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q: want OWASP's argon2id parameters", h)
	}
	h2, _ := Hash(ctx, "correct horse")
	if h == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	for pw, want := range map[string]bool{"correct horse": true, "correct hors": false, "Correct horse": false, "": false,
		"correct horse" + strings.Repeat("x", MaxLen): false} {
		got, err := Verify(ctx, pw, h)
		if err != nil || got != want {
			t.Errorf("Verify(%.20q) = %v, %v; want %v", pw, got, err, want)
		}
	}
	if _, err := Hash(ctx, "short"); err == nil || !strings.Contains(err.Error(), "password") {
		t.Errorf("Hash of a 5-byte password: %v, want an error naming the password", err)
	}
	if _, err := Hash(ctx, strings.Repeat("x", MaxLen+1)); err == nil {
		t.Error("Hash of an over-long password succeeded")
	}
}

// TestVerifyNobodyCostsAHash: the answer for an unknown account takes
// about as long as a wrong password (within a factor of 3, loose enough
// for a shared machine, tight enough to catch a shortcut that skips the
// hash, which is 1000× faster).
func TestVerifyNobodyCostsAHash(t *testing.T) {
	ctx := context.Background()
	h, err := Hash(ctx, "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := VerifyNobody(ctx, "warm up the dummy"); ok || err != nil {
		t.Fatalf("VerifyNobody = %v, %v", ok, err)
	}
	timeIt := func(f func()) time.Duration {
		best := time.Hour
		for range 3 {
			start := time.Now()
			f()
			best = min(best, time.Since(start))
		}
		return best
	}
	wrong := timeIt(func() { Verify(ctx, "wrong password", h) })
	nobody := timeIt(func() { VerifyNobody(ctx, "wrong password") })
	if nobody < wrong/3 || nobody > wrong*3 {
		t.Errorf("unknown account took %v, wrong password %v", nobody, wrong)
	}
}

func TestParseRejects(t *testing.T) {
	good, err := Hash(context.Background(), "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if p, err := Parse(good); err != nil || p.String() != good {
		t.Fatalf("Parse(%q) = %v, %v", good, p, err)
	}
	salt := "c29tZXNhbHRzb21lc2FsdA"
	key := "a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U"
	for _, bad := range []string{
		"", "argon2id", "$argon2i$v=19$m=19456,t=2,p=1$" + salt + "$" + key,
		"$argon2id$v=16$m=19456,t=2,p=1$" + salt + "$" + key,
		"$argon2id$v=19$t=2,m=19456,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=4294967295,t=2,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=19456,t=0,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=19456,t=2,p=0$" + salt + "$" + key,
		"$argon2id$v=19$m=19456,t=02,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=19456,t=2,p=1$$" + key,
		"$argon2id$v=19$m=19456,t=2,p=1$" + salt + "==$" + key,
		"$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$c2hvcnQ",
		"$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$" + key + "$",
	} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) succeeded", bad)
		}
	}
}

// FuzzParse: Parse never panics, and what it accepts formats back to
// the same string (one spelling per hash) within the bounds.
func FuzzParse(f *testing.F) {
	f.Add("$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U")
	f.Add("$argon2id$v=19$m=8,t=1,p=1$c29tZXNhbHQ$a2V5a2V5a2V5a2V5a2V5aw")
	f.Add("$argon2i$v=19$m=19456,t=2,p=1$$")
	f.Add("$$$$$")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Parse(s)
		if err != nil {
			return
		}
		if p.String() != s {
			t.Errorf("Parse(%q).String() = %q", s, p.String())
		}
		if p.MemoryKiB > maxMemoryKiB || p.Time > maxTime || p.Threads > maxThreads || p.Threads == 0 || p.Time == 0 {
			t.Errorf("Parse(%q) accepted parameters %+v", s, p.Params)
		}
	})
}

func TestRead(t *testing.T) {
	for in, want := range map[string]string{"correct horse\n": "correct horse", "correct horse": "correct horse",
		"correct horse\r\n": "correct horse", " spaces kept \n": " spaces kept "} {
		got, err := Read(strings.NewReader(in))
		if err != nil || got != want {
			t.Errorf("Read(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "\n", "short\n", "two\nlines here\n", strings.Repeat("x", MaxLen+1) + "\n"} {
		if got, err := Read(strings.NewReader(in)); err == nil {
			t.Errorf("Read(%.20q) = %q, want an error", in, got)
		}
	}
}
