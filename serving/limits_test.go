package serving

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"

	music "github.com/openmusic/music"
)

// from sets the request's client address.
func from(req *http.Request, ip string) *http.Request {
	req.RemoteAddr = ip + ":40000"
	return req
}

// TestSecurityAnonymousReportFlood: anonymous playback reports from one
// address are limited (429 with Retry-After) and stop reaching the log;
// another address is not affected.
func TestSecurityAnonymousReportFlood(t *testing.T) {
	s, _, log, _ := newPlaybackServer(t)
	s.SetRateLimiter(LimitReports, NewMemoryLimiter(music.Rate{PerSecond: 0.01, Burst: 5}))
	codes := map[int]int{}
	retryAfter := ""
	for i := range 50 {
		req := from(httptest.NewRequest("POST", "/api/v1/playback/report", strings.NewReader(report("event_id", fmt.Sprintf("flood-%d", i)))), "198.51.100.7")
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		codes[rec.Code]++
		if rec.Code == http.StatusTooManyRequests {
			retryAfter = rec.Header().Get("Retry-After")
		}
	}
	if codes[http.StatusAccepted] != 5 || codes[http.StatusTooManyRequests] != 45 || retryAfter == "" {
		t.Errorf("50 anonymous reports from one address: %v (Retry-After %q), want 5 accepted and 45 refused with Retry-After", codes, retryAfter)
	}
	if n := streamMsgs(t, log); n > 5 {
		t.Errorf("the log holds %d flood events, want at most 5", n)
	}
	req := from(httptest.NewRequest("POST", "/api/v1/playback/report", strings.NewReader(report("event_id", "other-ip"))), "203.0.113.9")
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusAccepted {
		t.Errorf("another address: %d %s, want 202", rec.Code, rec.Body)
	}
}

// stubIndex answers every search with nothing.
type stubIndex struct{ music.SearchIndex }

func (stubIndex) Search(context.Context, music.SearchQuery) (*music.SearchResults, error) {
	return &music.SearchResults{}, nil
}

func (stubIndex) Suggest(context.Context, music.SearchQuery) ([]music.SearchHit, error) {
	return nil, nil
}

// TestSecurityAnonymousSearchFlood: search and suggest are limited per
// client address.
func TestSecurityAnonymousSearchFlood(t *testing.T) {
	s := New()
	s.HandleSearch(stubIndex{})
	s.SetRateLimiter(LimitAPI, NewMemoryLimiter(music.Rate{PerSecond: 0.01, Burst: 3}))
	for _, path := range []string{"/api/v1/search?q=a", "/api/v1/search/suggest?q=a"} {
		ok := 0
		for range 10 {
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, from(httptest.NewRequest("GET", path, nil), "2001:db8::"+fmt.Sprint(ok+1)))
			if rec.Code == http.StatusOK {
				ok++
			}
		}
		if ok != 3 {
			t.Errorf("%s: %d of 10 answered from one /64, want 3", path, ok)
		}
		s.SetRateLimiter(LimitAPI, NewMemoryLimiter(music.Rate{PerSecond: 0.01, Burst: 3}))
	}
}

// countingUsers counts token lookups.
type countingUsers struct {
	music.UserStore
	lookups atomic.Int64
}

func (c *countingUsers) UserByToken(ctx context.Context, token string) (*music.User, error) {
	c.lookups.Add(1)
	return c.UserStore.UserByToken(ctx, token)
}

// TestSecurityBadTokenFlood: an address guessing bearer tokens gets 401
// for its sign-in budget, then 429 without its guesses reaching the user
// store.
func TestSecurityBadTokenFlood(t *testing.T) {
	st := seedCatalog(t)
	users := &countingUsers{UserStore: st}
	s := New()
	s.HandleCatalog(st, users)
	s.SetRateLimiter(LimitSignIn, NewMemoryLimiter(music.Rate{PerSecond: 0.01, Burst: 5}))
	codes := map[int]int{}
	for i := range 100 {
		req := from(httptest.NewRequest("GET", "/api/v1/tracks/rel-1-d1t01", nil), "198.51.100.8")
		req.Header.Set("Authorization", fmt.Sprintf("Bearer mt_guess%d", i))
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		codes[rec.Code]++
	}
	if codes[http.StatusTooManyRequests] < 90 || users.lookups.Load() > 10 {
		t.Errorf("100 guessed tokens: %v, %d user-store lookups; want >= 90 refused with 429 and at most 10 lookups", codes, users.lookups.Load())
	}
}

// TestSecurityIdentifyLimited: identify has its own, smaller budget per
// token.
func TestSecurityIdentifyLimited(t *testing.T) {
	st := seedCatalog(t)
	_, token, err := st.CreateUser(context.Background(), "alice", music.RoleListener, "GB")
	if err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int64
	s := New()
	s.HandleIdentify(func(context.Context, string) (Identified, error) {
		calls.Add(1)
		return Identified{}, music.Errorf(music.ENOTFOUND, "no match")
	}, st, st)
	s.SetRateLimiter(LimitIdentify, NewMemoryLimiter(music.Rate{PerSecond: 0.01, Burst: 2}))
	codes := map[int]int{}
	for range 6 {
		req := httptest.NewRequest("POST", "/api/v1/identify", strings.NewReader("RIFF...."))
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		codes[rec.Code]++
	}
	if codes[http.StatusTooManyRequests] != 4 || calls.Load() != 2 {
		t.Errorf("6 identify uploads: %v, %d fingerprinted; want 4 refused and 2 worked on", codes, calls.Load())
	}
}

// TestSecurityAudioURLFlood: one signed URL is limited wherever it is
// fetched from; another URL has its own budget.
func TestSecurityAudioURLFlood(t *testing.T) {
	fs := openFileStore(t)
	putAudio(t, fs, "trk-1", "320.ogg", 4096)
	putAudio(t, fs, "trk-1", "160.ogg", 4096)
	s := newAudioServer(t, fs, AudioOptions{})
	s.SetRateLimiter(LimitAudio, NewMemoryLimiter(music.Rate{PerSecond: 0.01, Burst: 3}))
	get := func(path, ip string) int {
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, from(httptest.NewRequest("GET", s.Signer.Sign(path), nil), ip))
		return rec.Code
	}
	var got []int
	for i := range 5 {
		got = append(got, get("/audio/trk-1/320.ogg", fmt.Sprintf("192.0.2.%d", i)))
	}
	if fmt.Sprint(got) != "[200 200 200 429 429]" {
		t.Errorf("one signed URL from 5 addresses: %v, want 3 served then 429", got)
	}
	if c := get("/audio/trk-1/160.ogg", "192.0.2.1"); c != 200 {
		t.Errorf("another URL: %d, want 200", c)
	}
}

func TestClientIP(t *testing.T) {
	s := New()
	s.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	for _, tc := range []struct{ remote, xff, want string }{
		{"198.51.100.1:5", "", "198.51.100.1"},
		{"198.51.100.1:5", "1.2.3.4", "198.51.100.1"}, // untrusted peer: header ignored
		{"10.1.1.1:5", "1.2.3.4", "1.2.3.4"},
		{"10.1.1.1:5", "6.6.6.6, 1.2.3.4, 10.2.2.2", "1.2.3.4"}, // client-chosen entries left of the real one
		{"10.1.1.1:5", "garbage", "10.1.1.1"},
		{"[2001:db8:1:2:3::4]:5", "", "2001:db8:1:2::/64"},
		{"[::ffff:198.51.100.1]:5", "", "198.51.100.1"},
		{"bogus", "", "unknown"},
	} {
		req := httptest.NewRequest("GET", "/", nil)
		req.RemoteAddr = tc.remote
		if tc.xff != "" {
			req.Header.Set("X-Forwarded-For", tc.xff)
		}
		if got := s.ClientIP(req); got != tc.want {
			t.Errorf("ClientIP(%s, XFF %q) = %q, want %q", tc.remote, tc.xff, got, tc.want)
		}
	}
}

// FuzzClientIP: any peer and header give a short key that is an address
// or prefix (or "unknown"), never client text.
func FuzzClientIP(f *testing.F) {
	for _, s := range [][2]string{{"10.0.0.1:1", "1.2.3.4"}, {"[::1]:2", ""}, {"x", "a,b,,c"}, {"10.0.0.1:1", "10.0.0.2, fe80::1%eth0"}} {
		f.Add(s[0], s[1])
	}
	s := New()
	s.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fe80::/10")}
	f.Fuzz(func(t *testing.T, remote, xff string) {
		req := httptest.NewRequest("GET", "/", nil)
		req.RemoteAddr = remote
		req.Header.Set("X-Forwarded-For", xff)
		k := s.ClientIP(req)
		if k == "unknown" {
			return
		}
		if _, err := netip.ParseAddr(k); err == nil {
			return
		}
		if _, err := netip.ParsePrefix(k); err != nil {
			t.Fatalf("ClientIP(%q, %q) = %q: neither an address nor a prefix", remote, xff, k)
		}
	})
}
