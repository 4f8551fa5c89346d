package serving

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	music "github.com/openmusic/music"
)

// countingBody counts the bytes the server reads of a request body.
type countingBody struct {
	r    io.Reader
	read atomic.Int64
}

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.read.Add(int64(n))
	return n, err
}

func newIdentifyServer(t *testing.T, l IdentifyLimits, identify IdentifyFunc) (*Server, string) {
	t.Helper()
	st := seedCatalog(t)
	_, token, err := st.CreateUser(context.Background(), "alice", music.RoleListener, "GB")
	if err != nil {
		t.Fatal(err)
	}
	s := New()
	s.SetIdentifyLimits(l)
	s.HandleIdentify(identify, st, st)
	return s, token
}

func postClip(s *Server, token string, body io.Reader) <-chan *httptest.ResponseRecorder {
	done := make(chan *httptest.ResponseRecorder, 1)
	go func() {
		req := httptest.NewRequest("POST", "/api/v1/identify", body)
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		done <- rec
	}()
	return done
}

// TestSecurityIdentifySlotBeforeBody: while every CPU slot is busy, a new
// upload's body is not read (no disk, no bandwidth spent on it) and the
// request is refused with 503 once its slot wait is over.
func TestSecurityIdentifySlotBeforeBody(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{}, 1)
	s, token := newIdentifyServer(t, IdentifyLimits{Slots: 1, SlotWait: 300 * time.Millisecond},
		func(ctx context.Context, _ string) (Identified, error) {
			started <- struct{}{}
			<-release
			return Identified{}, music.Errorf(music.ENOTFOUND, "no match")
		})
	first := postClip(s, token, strings.NewReader("clip"))
	select {
	case <-started:
	case <-time.After(5 * time.Second):
		t.Fatal("first upload never reached identify")
	}
	body := &countingBody{r: strings.NewReader(strings.Repeat("x", 1<<20))}
	second := postClip(s, token, body)
	pending := []<-chan *httptest.ResponseRecorder{first}
	select {
	case rec := <-second:
		if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
			t.Errorf("upload while busy: %d %s, want 503 with Retry-After", rec.Code, rec.Body)
		}
	case <-time.After(3 * time.Second):
		t.Errorf("upload while busy: no answer after 3s (its body: %d bytes read)", body.read.Load())
		pending = append(pending, second)
	}
	if n := body.read.Load(); n != 0 {
		t.Errorf("upload while busy: %d body bytes read before a slot was free, want 0", n)
	}
	close(release)
	for _, c := range pending {
		select {
		case <-c:
		case <-time.After(5 * time.Second):
			t.Fatal("an upload did not finish after the slot was released")
		}
	}
}

// TestSecurityIdentifyDeadline: identify work that does not finish in
// time is cut off with 503, however long the client is willing to wait.
func TestSecurityIdentifyDeadline(t *testing.T) {
	s, token := newIdentifyServer(t, IdentifyLimits{Timeout: 200 * time.Millisecond},
		func(ctx context.Context, _ string) (Identified, error) {
			select {
			case <-ctx.Done():
				return Identified{}, ctx.Err()
			case <-time.After(10 * time.Second):
				return Identified{}, music.Errorf(music.ENOTFOUND, "no match")
			}
		})
	start := time.Now()
	select {
	case rec := <-postClip(s, token, strings.NewReader("clip")):
		if rec.Code != http.StatusServiceUnavailable || time.Since(start) > 3*time.Second {
			t.Errorf("slow identify: %d after %s, want 503 after about 200ms", rec.Code, time.Since(start).Round(time.Millisecond))
		}
	case <-time.After(5 * time.Second):
		t.Error("slow identify: no answer after 5s")
	}
}
