package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/bleve"
	"github.com/openmusic/music/elastic"
	"github.com/openmusic/music/search"
)

// searchFlags are the settings of `musicctl search`.
type searchFlags struct {
	types  string
	genre  string
	limit  int
	offset int
	json   bool
}

// newSearchCmd builds `musicctl search QUERY`: the catalog search the API
// serves, run against the local Bleve index (or Elasticsearch).
func newSearchCmd(cfg *Config) *cobra.Command {
	var f searchFlags
	cmd := &cobra.Command{
		Use:   "search QUERY",
		Short: "Search the catalog for tracks, artists and albums",
		Long: "Search the catalog index under --data-dir (or Elasticsearch with --es-url) " +
			"the way GET /api/v1/search does. An ISRC or UPC is looked up exactly.",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSearch(cmd, cfg, args, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.types, "type", "", "comma-separated kinds to return: track,artist,album (default all)")
	fl.StringVar(&f.genre, "genre", "", "only results of this genre")
	fl.IntVar(&f.limit, "limit", search.DefaultLimit, "results per kind (1..50)")
	fl.IntVar(&f.offset, "offset", 0, "skip this many results per kind")
	fl.BoolVar(&f.json, "json", false, "print the API's JSON instead of a listing")
	return cmd
}

// runSearch runs the query in args against the index and prints the results.
func runSearch(cmd *cobra.Command, cfg *Config, args []string, f searchFlags) error {
	v := url.Values{"q": {strings.Join(args, " ")}, "type": {f.types}, "genre": {f.genre},
		"limit": {strconv.Itoa(f.limit)}, "offset": {strconv.Itoa(f.offset)}}
	q, err := search.ParseParams(v)
	if err != nil {
		return err
	}
	idx, err := openSearchIndex(cmd.Context(), cfg)
	if err != nil {
		return err
	}
	defer idx.Close()
	res, err := idx.Search(cmd.Context(), q)
	if err != nil {
		return err
	}
	if f.json {
		enc := json.NewEncoder(cmd.OutOrStdout())
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	printResults(cmd.OutOrStdout(), res)
	return nil
}

// openSearchIndex opens the configured engine: Elasticsearch when a URL is
// given, else the Bleve index in the data directory.
func openSearchIndex(ctx context.Context, cfg *Config) (music.SearchIndex, error) {
	if cfg.ESURL != "" {
		return elastic.Open(ctx, elastic.Options{URL: cfg.ESURL})
	}
	if err := cfg.EnsureDataDir(); err != nil {
		return nil, err
	}
	return bleve.Open(filepath.Join(cfg.DataDir, "search"), bleve.Options{})
}

func printResults(w io.Writer, res *music.SearchResults) {
	if res.DidYouMean != "" {
		fmt.Fprintf(w, "Did you mean: %s\n", res.DidYouMean)
	}
	if res.Top == nil {
		fmt.Fprintln(w, "No results.")
	} else {
		fmt.Fprintf(w, "Top result: %s (%s %s)\n", res.Top.Title, res.Top.Type, res.Top.ID)
	}
	for _, t := range music.DocTypes {
		g := res.Group(t)
		if g == nil || len(g.Items) == 0 {
			continue
		}
		fmt.Fprintf(w, "%ss (%d):\n", strings.ToUpper(string(t[:1]))+string(t[1:]), g.Total)
		for i, h := range g.Items {
			line := h.Title
			if by := append(append([]string{}, h.Artists...), h.Featured...); len(by) > 0 && t != music.DocArtist {
				line += " — " + strings.Join(by, ", ")
			}
			if h.Album != "" {
				line += " · " + h.Album
			}
			code := h.ISRC
			if t == music.DocAlbum {
				code = h.UPC
			}
			fmt.Fprintf(w, "  %2d. %s  [%s %s, score %.2f]\n", i+1, line, t, strings.TrimSpace(code+" "+h.ID), h.Score)
		}
	}
}
