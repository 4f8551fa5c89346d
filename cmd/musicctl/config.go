package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/pflag"
)

// Config is every setting of every command, filled from flags and, for a
// flag not given on the command line, from its MUSIC_* environment
// variable (--data-dir ⇐ MUSIC_DATA_DIR).
type Config struct {
	DataDir string
	JSON    bool
}

// BindGlobal declares the flags every command shares.
func (c *Config) BindGlobal(fs *pflag.FlagSet) {
	fs.StringVar(&c.DataDir, "data-dir", "./musicdata", "directory for all embedded state (env MUSIC_DATA_DIR)")
}

// Load applies MUSIC_* variables to every flag that was not set explicitly.
func (c *Config) Load(fs *pflag.FlagSet) error {
	var firstErr error
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Changed || firstErr != nil {
			return
		}
		name := envName(f.Name)
		v, ok := os.LookupEnv(name)
		if !ok {
			return
		}
		if err := fs.Set(f.Name, v); err != nil {
			firstErr = fmt.Errorf("environment %s=%q: %v", name, v, err)
		}
	})
	return firstErr
}

// envName maps a flag name to its environment variable.
func envName(flag string) string {
	return "MUSIC_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}
