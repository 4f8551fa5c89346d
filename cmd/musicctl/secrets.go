package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/openmusic/music/blobstore"
)

// secretFlags carry secrets. Each also has a --NAME-file flag (and so a
// MUSIC_NAME_FILE variable) naming a file to read it from, so a secret
// never has to be on a command line, where any local user sees it in ps.
var secretFlags = map[string]bool{"stream-key": true, "token": true, "offline-key": true}

// bindSecretFile declares --NAME-file beside the secret flag NAME.
func bindSecretFile(fs *pflag.FlagSet, name string) {
	fs.String(name+"-file", "", "read --"+name+" from this file (safer than the command line; also MUSIC_"+strings.ToUpper(strings.ReplaceAll(name, "-", "_"))+"_FILE)")
}

// loadSecretFiles sets each secret flag whose -file companion is given
// from that file (surrounding whitespace trimmed), and warns when a secret
// was typed on the command line. Run after the environment was applied.
func (c *Config) loadSecretFiles(fs *pflag.FlagSet) error {
	var firstErr error
	fs.VisitAll(func(f *pflag.Flag) {
		name, ok := strings.CutSuffix(f.Name, "-file")
		if !ok || !secretFlags[name] || f.Value.String() == "" || firstErr != nil {
			return
		}
		b, err := os.ReadFile(f.Value.String())
		if err != nil {
			firstErr = fmt.Errorf("%s: %v", c.Source(f.Name), err)
			return
		}
		if err := fs.Set(name, strings.TrimSpace(string(b))); err != nil {
			firstErr = fmt.Errorf("%s: %v", c.Source(f.Name), err)
			return
		}
		c.fromEnv[name] = f.Value.String()
	})
	fs.VisitAll(func(f *pflag.Flag) {
		if secretFlags[f.Name] && f.Changed && c.fromEnv[f.Name] == "" {
			fmt.Fprintf(os.Stderr, "warning: --%s on the command line is visible to other local users; prefer %s or --%s-file\n",
				f.Name, envName(f.Name), f.Name)
		}
	})
	return firstErr
}

// secretEnv reads a secret from the environment variable name, or from
// the file named by name_FILE.
func secretEnv(name string) (string, error) {
	if v := os.Getenv(name); v != "" {
		return v, nil
	}
	path := os.Getenv(name + "_FILE")
	if path == "" {
		return "", nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("%s_FILE: %v", name, err)
	}
	return strings.TrimSpace(string(b)), nil
}

// s3Credentials are the S3 keys from MUSIC_S3_ACCESS_KEY and
// MUSIC_S3_SECRET_KEY (or their _FILE variants); both empty means the AWS
// SDK's default chain.
func s3Credentials() (blobstore.Credentials, error) {
	var c blobstore.Credentials
	var err error
	if c.AccessKey, err = secretEnv("MUSIC_S3_ACCESS_KEY"); err != nil {
		return c, err
	}
	c.SecretKey, err = secretEnv("MUSIC_S3_SECRET_KEY")
	return c, err
}
