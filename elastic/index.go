// Package elastic is the catalog search engine for deployments that
// outgrow one machine: a music.SearchIndex on Elasticsearch 8 through
// go-elasticsearch. Mapping, settings and analyzers are index.json; the
// ranking script is ranking.painless. Searches and writes go through an
// alias, so Reindex can build a new index and swap the alias atomically.
//
// No Elasticsearch server runs on the development machines: the shared
// conformance suite (internal/searchtest) runs against this package only
// when MUSIC_ES_URL is set.
package elastic

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/elastic/go-elasticsearch/v8"
	"github.com/elastic/go-elasticsearch/v8/esapi"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/search"
)

//go:embed index.json
var indexJSON string

//go:embed ranking.painless
var rankingScript string

// Options configure an Index.
type Options struct {
	// URL of the cluster, e.g. http://127.0.0.1:9200.
	URL string
	// Alias is the name searches and writes use; concrete indexes are
	// named Alias-<timestamp>. Default "music-catalog".
	Alias string
	// Now is the clock used for recency ranking; time.Now when nil.
	Now func() time.Time
}

// Index is the Elasticsearch-backed music.SearchIndex.
type Index struct {
	es    *elasticsearch.Client
	alias string
	now   func() time.Time

	// mu: writes hold it shared for their whole duration; the alias swap
	// holds it exclusively, so no write lands on the old index after it.
	mu        sync.RWMutex
	reindexMu sync.Mutex
	// bmu guards the index being built and the live writes made during
	// the build, replayed onto it just before the swap (nil = deleted).
	bmu      sync.Mutex
	building string
	live     map[string]*music.SearchDoc
}

var _ music.SearchIndex = (*Index)(nil)

// Open connects to the cluster and makes sure the alias exists, creating
// an empty index behind it the first time.
func Open(ctx context.Context, opts Options) (*Index, error) {
	if opts.URL == "" {
		return nil, music.Errorf(music.EINVALID, "elastic: no URL")
	}
	es, err := elasticsearch.NewClient(elasticsearch.Config{Addresses: []string{opts.URL}})
	if err != nil {
		return nil, fmt.Errorf("elastic client: %w", err)
	}
	x := &Index{es: es, alias: opts.Alias, now: opts.Now}
	if x.alias == "" {
		x.alias = "music-catalog"
	}
	if x.now == nil {
		x.now = time.Now
	}
	res, err := es.Indices.ExistsAlias([]string{x.alias}, es.Indices.ExistsAlias.WithContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("elastic alias %s: %w", x.alias, err)
	}
	res.Body.Close()
	if res.StatusCode == 200 {
		return x, nil
	}
	name, err := x.createIndex(ctx)
	if err != nil {
		return nil, err
	}
	body := fmt.Sprintf(`{"actions":[{"add":{"index":%q,"alias":%q}}]}`, name, x.alias)
	if err := x.do(ctx, "add alias", func() (*esapi.Response, error) {
		return es.Indices.UpdateAliases(strings.NewReader(body), es.Indices.UpdateAliases.WithContext(ctx))
	}, nil); err != nil {
		return nil, err
	}
	return x, nil
}

// createIndex makes a new concrete index with index.json.
func (x *Index) createIndex(ctx context.Context) (string, error) {
	name := fmt.Sprintf("%s-%s", x.alias, time.Now().UTC().Format("20060102t150405.000000000"))
	err := x.do(ctx, "create index "+name, func() (*esapi.Response, error) {
		return x.es.Indices.Create(name, x.es.Indices.Create.WithBody(strings.NewReader(indexJSON)), x.es.Indices.Create.WithContext(ctx))
	}, nil)
	return name, err
}

// do runs one API call, turns a non-2xx answer into an error naming what
// was attempted, and decodes the body into out when out is not nil.
func (x *Index) do(ctx context.Context, what string, call func() (*esapi.Response, error), out any) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	res, err := call()
	if err != nil {
		return fmt.Errorf("elastic %s: %w", what, err)
	}
	defer res.Body.Close()
	if res.IsError() {
		msg, _ := io.ReadAll(io.LimitReader(res.Body, 2048))
		return fmt.Errorf("elastic %s: %s: %s", what, res.Status(), msg)
	}
	if out == nil {
		return nil
	}
	if err := json.NewDecoder(res.Body).Decode(out); err != nil {
		return fmt.Errorf("elastic %s: decode: %w", what, err)
	}
	return nil
}

// Close releases nothing: the client holds no long-lived resources.
func (x *Index) Close() error { return nil }

// esDoc is the indexed form of a music.SearchDoc; Doc carries the original
// back in hits.
type esDoc struct {
	Type        string           `json:"type"`
	Name        string           `json:"name"`
	Artists     []string         `json:"artists,omitempty"`
	Album       string           `json:"album,omitempty"`
	Genre       string           `json:"genre,omitempty"`
	Code        []string         `json:"code,omitempty"`
	Popularity  int              `json:"popularity"`
	ReleaseDate string           `json:"release_date,omitempty"`
	Explicit    bool             `json:"explicit"`
	Doc         *music.SearchDoc `json:"doc"`
}

func toESDoc(d music.SearchDoc) (esDoc, error) {
	if err := search.CheckDoc(d); err != nil {
		return esDoc{}, err
	}
	d.ISRC, d.UPC = search.NormalizeCode(d.ISRC), search.NormalizeCode(d.UPC)
	e := esDoc{Type: string(d.Type), Name: d.Title, Album: d.Album, Genre: d.Genre,
		Popularity: d.Popularity, Explicit: d.Explicit, Doc: &d}
	e.Artists = append(append(e.Artists, d.Artists...), d.Featured...)
	if d.Type == music.DocArtist {
		e.Artists = append(e.Artists, d.Title) // as in bleve/: an artist is its own artist
	}
	for _, c := range []string{d.ISRC, d.UPC} {
		if c != "" {
			e.Code = append(e.Code, c)
		}
	}
	if !d.ReleaseDate.IsZero() {
		e.ReleaseDate = d.ReleaseDate.UTC().Format(time.RFC3339)
	}
	return e, nil
}
