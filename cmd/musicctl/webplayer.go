package main

import (
	"fmt"
	"time"

	"github.com/openmusic/music/serving"
	"github.com/openmusic/music/webapp"
	"github.com/spf13/pflag"
)

// WebPlayer configures the web player of serve and up: its sign-in and
// sessions (docs/webplayer.md).
type WebPlayer struct {
	OpenSignup bool          // anyone may create a listener account
	SessionTTL time.Duration // how long a sign-in lasts
}

// BindWebPlayer declares the web player's flags.
func (c *Config) BindWebPlayer(fs *pflag.FlagSet) {
	w := &c.Web
	fs.BoolVar(&w.OpenSignup, "open-signup", false, "let anyone create a listener account (POST /api/v1/auth/signup)")
	fs.DurationVar(&w.SessionTTL, "session-ttl", serving.DefaultSessionTTL, "how long a web player sign-in lasts")
}

// handleWebPlayer routes sign-in, sessions and the player's own files.
func handleWebPlayer(srv *serving.Server, cfg *Config, st *stack) error {
	if cfg.Web.SessionTTL <= 0 {
		return fmt.Errorf("%s %v: want a duration > 0, e.g. 168h", cfg.Source("session-ttl"), cfg.Web.SessionTTL)
	}
	srv.HandleAuth(st.Catalog, st.Catalog, serving.AuthOptions{SessionTTL: cfg.Web.SessionTTL, OpenSignup: cfg.Web.OpenSignup})
	return srv.HandleWebApp(webapp.Files())
}
