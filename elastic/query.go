package elastic

import (
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/search"
)

// obj is a JSON object of the query DSL; queries are built as values and
// marshaled, never by pasting user text into a query string.
type obj = map[string]any

// textQuery mirrors bleve/query.go: every word must match in some field
// exactly or (the last word, when prefix is set) as the start of a word,
// or, when fuzzy is set, within its fuzziness (over "all"); see
// search.NeedsFuzzyPass for when the fuzzy pass is made.
func textQuery(text string, prefix, fuzzy bool) obj {
	words := search.QueryWords(text)
	must := make([]any, 0, len(words))
	for i, w := range words {
		must = append(must, wordQuery(w, prefix && i == len(words)-1, fuzzy))
	}
	return obj{"bool": obj{"must": must}}
}

func wordQuery(w string, prefix, fuzzy bool) obj {
	var should []any
	if fz := search.Fuzziness(w); fuzzy && fz > 0 {
		should = append(should, match("all", w, search.FuzzyBoost, obj{"fuzziness": fz, "prefix_length": search.FuzzyPrefix,
			"max_expansions": search.FuzzyMaxExpansions}))
	}
	for _, f := range search.Fields {
		should = append(should, match(f.Name, w, f.Boost, nil))
		if prefix && f.Prefix {
			should = append(should, match(f.Name+".prefix", w, f.Boost*search.PrefixWeight, nil))
		}
	}
	return obj{"bool": obj{"should": should, "minimum_should_match": 1}}
}

func match(field, w string, boost float64, extra obj) obj {
	// operator "and": a CJK word analyzes to bigrams that must all match.
	m := obj{"query": w, "operator": "and", "boost": boost}
	for k, v := range extra {
		m[k] = v
	}
	return obj{"match": obj{field: m}}
}

// codeQuery looks an ISRC or UPC up exactly.
func codeQuery(code string) obj { return obj{"term": obj{"code": code}} }

// filtered adds type and genre filters, which do not score.
func filtered(q obj, t music.DocType, genre string) obj {
	var filter []any
	if t != "" {
		filter = append(filter, obj{"term": obj{"type": string(t)}})
	}
	if genre != "" {
		filter = append(filter, obj{"term": obj{"genre": genre}}) // normalized by music_fold
	}
	b := obj{"must": []any{q}}
	if len(filter) > 0 {
		b["filter"] = filter // a null filter is a parse error
	}
	return obj{"bool": b}
}

// ranked wraps q in the function_score that applies search.RankFactor
// (ranking.painless) to every match.
func ranked(q obj, now time.Time) obj {
	return obj{"function_score": obj{
		"query": q,
		"functions": []any{obj{"script_score": obj{"script": obj{
			"source": rankingScript,
			"params": obj{
				"now_ms":             now.UnixMilli(),
				"popularity_scale":   float64(search.PopularityScale),
				"recency_boost":      search.RecencyBoost,
				"recency_scale_days": float64(search.RecencyScaleDays),
			},
		}}}},
		"boost_mode": "replace",
	}}
}

// searchBody is one page of ranked hits.
func searchBody(q obj, from, size int, now time.Time) obj {
	return obj{"query": ranked(q, now), "from": from, "size": size, "_source": []string{"doc"},
		"track_total_hits": true}
}

// suggestBody is the best hits of every wanted kind in one request.
func suggestBody(q music.SearchQuery, fuzzy bool, now time.Time) obj {
	tq := textQuery(q.Text, true, fuzzy)
	var kinds []any
	for _, t := range music.DocTypes {
		if search.WantsType(q, t) {
			kinds = append(kinds, filtered(tq, t, q.Genre))
		}
	}
	return searchBody(obj{"bool": obj{"should": kinds, "minimum_should_match": 1}}, 0, q.Limit, now)
}

// didYouMeanBody asks the term suggester for the closest indexed word to
// each query word unknown to the index (suggest_mode "missing").
func didYouMeanBody(words string) obj {
	return obj{"size": 0, "suggest": obj{"text": words, "dym": obj{"term": obj{
		"field": "all", "suggest_mode": "missing", "sort": "score",
		"max_edits": 2, "prefix_length": search.FuzzyPrefix, "min_word_length": 3, "size": 1,
	}}}}
}
