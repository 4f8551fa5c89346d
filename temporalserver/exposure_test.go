package temporalserver

import (
	"context"
	"strings"
	"testing"
)

// TestRefusesExposedAddresses: the embedded frontend and Web UI have no
// authentication of their own, so an address other machines can reach is
// refused (before anything listens) unless the UI has a password.
func TestRefusesExposedAddresses(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name           string
		frontend, ui   string
		want           string // in the error; "" means it must start
		uiAuth         string
		uiWriteActions bool
	}{
		{name: "UI on every interface", frontend: "127.0.0.1:0", ui: "0.0.0.0:0", want: "--temporal-ui-auth"},
		{name: "UI on every interface, short form", frontend: "127.0.0.1:0", ui: ":0", want: "--temporal-ui-auth"},
		{name: "frontend on every interface", frontend: "0.0.0.0:0", want: "--temporal-listen"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Start(ctx, Config{Dir: t.TempDir(), FrontendAddr: tc.frontend, UIAddr: tc.ui})
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
