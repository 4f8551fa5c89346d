package temporalserver

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestRefusesExposedAddresses: the embedded frontend and Web UI have no
// authentication of their own, so an address other machines can reach is
// refused (before anything listens) unless the UI has a password.
func TestRefusesExposedAddresses(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name         string
		frontend, ui string
		want         string // in the error; "" means it must start
		uiAuth       string
	}{
		{name: "UI on every interface", frontend: "127.0.0.1:0", ui: "0.0.0.0:0", want: "--temporal-ui-auth"},
		{name: "UI on every interface, short form", frontend: "127.0.0.1:0", ui: ":0", want: "--temporal-ui-auth"},
		{name: "frontend on every interface", frontend: "0.0.0.0:0", want: "--temporal-listen"},
		{name: "a weak UI password", frontend: "127.0.0.1:0", ui: "0.0.0.0:0", uiAuth: "ops:short", want: "--temporal-ui-auth"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Start(ctx, Config{Dir: t.TempDir(), FrontendAddr: tc.frontend, UIAddr: tc.ui, UIAuth: tc.uiAuth})
			if err == nil {
				s.Stop()
				t.Fatalf("started on frontend %q, UI %q; want a refusal", tc.frontend, tc.ui)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not name %s", err, tc.want)
			}
		})
	}
}

// TestUIBehindPasswordIsReadOnly: with --temporal-ui-auth the UI answers
// only with the password, and its write actions are off by default.
func TestUIBehindPasswordIsReadOnly(t *testing.T) {
	s, err := Start(context.Background(), Config{Dir: t.TempDir(), FrontendAddr: "127.0.0.1:0", UIAddr: "127.0.0.1:0", UIAuth: "ops:correct-horse-battery"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	client := &http.Client{Timeout: 10 * time.Second}
	get := func(user, pass string) (int, string) {
		req, _ := http.NewRequest("GET", "http://"+s.UIAddr()+"/api/v1/settings", nil)
		if user != "" {
			req.SetBasicAuth(user, pass)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
		return res.StatusCode, string(b)
	}
	for _, bad := range [][2]string{{"", ""}, {"ops", "wrong-password!"}, {"root", "correct-horse-battery"}} {
		if code, _ := get(bad[0], bad[1]); code != http.StatusUnauthorized {
			t.Errorf("UI with %q/%q: %d, want 401", bad[0], bad[1], code)
		}
	}
	code, body := get("ops", "correct-horse-battery")
	if code != http.StatusOK || !strings.Contains(body, `"DisableWriteActions":true`) {
		t.Errorf("UI settings with the password: %d %.300s; want 200 with write actions disabled", code, body)
	}
}
