package elastic

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/elastic/go-elasticsearch/v8/esapi"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/search"
)

type searchResponse struct {
	Hits struct {
		Total struct {
			Value uint64 `json:"value"`
		} `json:"total"`
		Hits []struct {
			Score  float64 `json:"_score"`
			Source struct {
				Doc music.SearchDoc `json:"doc"`
			} `json:"_source"`
		} `json:"hits"`
	} `json:"hits"`
	Suggest map[string][]struct {
		Text    string `json:"text"`
		Offset  int    `json:"offset"`
		Options []struct {
			Text string `json:"text"`
		} `json:"options"`
	} `json:"suggest"`
}

func (x *Index) query(ctx context.Context, body obj) (*searchResponse, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("elastic search: %w", err)
	}
	var out searchResponse
	err = x.do(ctx, "search", func() (*esapi.Response, error) {
		return x.es.Search(x.es.Search.WithIndex(x.alias), x.es.Search.WithBody(bytes.NewReader(raw)), x.es.Search.WithContext(ctx))
	}, &out)
	return &out, err
}

func hits(r *searchResponse) []music.SearchHit {
	out := make([]music.SearchHit, 0, len(r.Hits.Hits))
	for _, h := range r.Hits.Hits {
		out = append(out, music.SearchHit{SearchDoc: h.Source.Doc, Score: h.Score})
	}
	return out
}

// Search runs q: an ISRC or UPC exactly first, else the word query, one
// request per wanted kind.
func (x *Index) Search(ctx context.Context, q music.SearchQuery) (*music.SearchResults, error) {
	if err := search.CheckQuery(q); err != nil {
		return nil, err
	}
	return search.Steps{
		Code: func(ctx context.Context, code string) (*music.SearchResults, error) {
			return x.grouped(ctx, codeQuery(code), q)
		},
		Text: func(ctx context.Context, fuzzy bool) (*music.SearchResults, error) {
			return x.grouped(ctx, textQuery(q.Text, true, fuzzy), q)
		},
		DidYouMean: func(ctx context.Context) (string, error) { return x.didYouMean(ctx, q.Text) },
	}.Run(ctx, q)
}

func (x *Index) grouped(ctx context.Context, base obj, q music.SearchQuery) (*music.SearchResults, error) {
	now := x.now()
	return search.PerKind(ctx, q, func(ctx context.Context, t music.DocType) (*music.SearchGroup, error) {
		r, err := x.query(ctx, searchBody(filtered(base, t, q.Genre), q.Offset, q.Limit, now))
		if err != nil {
			return nil, err
		}
		return &music.SearchGroup{Total: r.Hits.Total.Value, Items: hits(r)}, nil
	})
}

// Suggest returns the best hits of any wanted kind for a partial query:
// the exact words first, the fuzzy pass only when search.NeedsFuzzyPass.
func (x *Index) Suggest(ctx context.Context, q music.SearchQuery) ([]music.SearchHit, error) {
	if err := search.CheckQuery(q); err != nil {
		return nil, err
	}
	r, err := x.query(ctx, suggestBody(q, false, x.now()))
	if err == nil && search.NeedsFuzzyPass(q.Text, r.Hits.Total.Value) {
		r, err = x.query(ctx, suggestBody(q, true, x.now()))
	}
	if err != nil {
		return nil, err
	}
	return hits(r), nil
}

// didYouMean replaces each word the index does not know with the term
// suggester's closest indexed word; "" when no word changed.
func (x *Index) didYouMean(ctx context.Context, text string) (string, error) {
	words := search.QueryWords(text)
	joined := strings.Join(words, " ")
	r, err := x.query(ctx, didYouMeanBody(joined))
	if err != nil {
		return "", err
	}
	starts := map[int]int{} // byte offset of a word in joined → its index
	for i, off := 0, 0; i < len(words); i++ {
		starts[off] = i
		off += len(words[i]) + 1
	}
	changed := false
	for _, e := range r.Suggest["dym"] {
		if i, ok := starts[e.Offset]; ok && len(e.Options) > 0 && search.Fuzziness(words[i]) > 0 {
			words[i], changed = e.Options[0].Text, true
		}
	}
	if !changed {
		return "", nil
	}
	return strings.Join(words, " "), nil
}
