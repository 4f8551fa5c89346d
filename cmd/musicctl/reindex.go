package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/search"
	"github.com/openmusic/music/serving/client"
)

// reindexFlags are the settings of `musicctl reindex`.
type reindexFlags struct {
	server   string
	token    string
	interval time.Duration
}

func newReindexCmd(cfg *Config) *cobra.Command {
	var f reindexFlags
	cmd := &cobra.Command{
		Use:   "reindex",
		Short: "Rebuild the search index from the catalog without downtime",
		Long: `reindex builds a new search index from every published release in the
catalog while the current index keeps serving, then swaps it in: on Bleve a
new directory and an atomic rename of its CURRENT pointer, on Elasticsearch a
new concrete index and one atomic alias update.

An embedded Bleve index belongs to the process serving it (musicctl up or
serve); Bleve admits no second process. So:
  --server URL  asks that server to rebuild its own index through
                POST /api/v1/admin/reindex with an ops account's token
                (--token or MUSIC_TOKEN), then follows its progress;
  no --server   opens the index here: for Elasticsearch (--es-url), and for
                Bleve when no server runs. A Bleve index held by a running
                server is refused within a second, naming --server.
Progress goes to stderr, the result to stdout.`,
		Example: `  musicctl reindex --server http://127.0.0.1:8080 --token mt_…
  musicctl reindex --es-url http://es:9200 --db postgres://…
  musicctl reindex --data-dir ./musicdata     # no server running`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runReindex(cmd, cfg, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.server, "server", "", "base URL of a running musicctl up/serve to rebuild its index (default: open the index here)")
	fl.StringVar(&f.token, "token", "", "bearer token of an ops account, for --server (prefer MUSIC_TOKEN or --token-file)")
	bindSecretFile(fl, "token")
	fl.DurationVar(&f.interval, "progress", 2*time.Second, "how often to report progress on stderr")
	cfg.BindJSON(fl)
	return cmd
}

// runReindex rebuilds through the server at f.server or, without one,
// here, and prints the outcome.
func runReindex(cmd *cobra.Command, cfg *Config, f reindexFlags) error {
	var (
		st  music.ReindexStatus
		err error
	)
	if f.server != "" {
		st, err = reindexRemote(cmd.Context(), cfg, f, cmd.ErrOrStderr())
	} else {
		st, err = reindexLocal(cmd.Context(), cfg, f.interval, cmd.ErrOrStderr())
	}
	if err != nil {
		return err
	}
	return printReindex(cmd.OutOrStdout(), cfg.JSON, st)
}

// printReindex prints the outcome of a rebuild.
func printReindex(out io.Writer, asJSON bool, st music.ReindexStatus) error {
	if asJSON {
		return json.NewEncoder(out).Encode(st)
	}
	fmt.Fprintf(out, "reindexed %d documents into %s in %s", st.Docs, st.Index, st.Finished.Sub(st.Started).Round(time.Millisecond))
	if st.Skipped > 0 {
		fmt.Fprintf(out, " (%d superseded by live writes)", st.Skipped)
	}
	fmt.Fprintln(out)
	return nil
}

// reindexLocal opens the catalog and the index in this process and rebuilds.
func reindexLocal(ctx context.Context, cfg *Config, every time.Duration, progress io.Writer) (music.ReindexStatus, error) {
	cat, err := openCatalog(ctx, cfg)
	if err != nil {
		return music.ReindexStatus{}, err
	}
	defer cat.Close()
	idx, err := openSearchIndex(ctx, cfg)
	if music.ErrorCode(err) == music.EUNAVAILABLE && cfg.ESURL == "" {
		return music.ReindexStatus{}, fmt.Errorf("%w; rebuild it through that server: musicctl reindex --server URL --token OPS_TOKEN", err)
	}
	if err != nil {
		return music.ReindexStatus{}, fmt.Errorf("search index: %w", err)
	}
	defer idx.Close()

	var docs atomic.Int64
	st := music.ReindexStatus{Started: time.Now()}
	stop := reportEvery(every, func() {
		fmt.Fprintf(progress, "reindex: %d documents read, %s\n", docs.Load(), time.Since(st.Started).Round(time.Second))
	})
	stats, err := idx.Reindex(ctx, search.CountingSource(search.AllDocs(ctx, cat, cat), &docs))
	stop()
	if err != nil {
		return st, fmt.Errorf("reindex: %w", err)
	}
	st.Finished = time.Now()
	st.Docs, st.Skipped, st.Index = int64(stats.Docs), stats.Skipped, stats.Index
	return st, nil
}

// reportEvery calls report every d until the returned stop is called.
func reportEvery(d time.Duration, report func()) (stop func()) {
	if d <= 0 {
		return func() {}
	}
	t := time.NewTicker(d)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-t.C:
				report()
			case <-done:
				return
			}
		}
	}()
	return func() { t.Stop(); close(done) }
}

// reindexRemote starts the rebuild on a running server (or joins the one
// already running there) and polls it until it ends.
func reindexRemote(ctx context.Context, cfg *Config, f reindexFlags, progress io.Writer) (music.ReindexStatus, error) {
	if f.token == "" {
		return music.ReindexStatus{}, music.Errorf(music.EINVALID, "%s: an ops account's bearer token is needed with --server", cfg.Source("token"))
	}
	admin := &client.Admin{Base: f.server, Token: f.token}
	st, err := admin.StartReindex(ctx)
	if music.ErrorCode(err) == music.ECONFLICT {
		fmt.Fprintln(progress, "reindex: one is already running on the server; following it")
		err = nil
		st.Running = true
	}
	if err != nil {
		return st, fmt.Errorf("%s: %w", cfg.Source("server"), err)
	}
	for st.Running {
		select {
		case <-ctx.Done():
			return st, ctx.Err()
		case <-time.After(max(f.interval, 100*time.Millisecond)):
		}
		if st, err = admin.ReindexStatus(ctx); err != nil {
			return st, fmt.Errorf("%s: %w", cfg.Source("server"), err)
		}
		if st.Running {
			fmt.Fprintf(progress, "reindex: %d documents read, %s\n", st.Docs, time.Since(st.Started).Round(time.Second))
		}
	}
	if st.Error != "" {
		return st, music.Errorf(music.EUNAVAILABLE, "reindex on %s failed: %s (the old index keeps serving)", f.server, st.Error)
	}
	return st, nil
}
