package bleve

import (
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/token/edgengram"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/single"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
)

// Analyzer and field names. They mirror elastic/settings.json so the two
// engines tokenize alike: fold accents and width, lowercase, and index CJK
// runs as overlapping bigrams.
const (
	textAnalyzer   = "music_text"
	prefixAnalyzer = "music_prefix"
	foldAnalyzer   = "music_fold"

	fieldName          = "name"
	fieldNamePrefix    = "name_prefix"
	fieldArtists       = "artists"
	fieldArtistsPrefix = "artists_prefix"
	fieldAlbum         = "album"
	fieldAll           = "_all" // composite of name, artists, album
	fieldGenre         = "genre"
	fieldCode          = "code"
	fieldDoc           = "doc"
)

// indexDoc is what Bleve indexes for one music.SearchDoc.
type indexDoc struct {
	Name    string   `json:"name"`
	Artists []string `json:"artists"`
	Album   string   `json:"album"`
	Genre   string   `json:"genre"`
	Codes   []string `json:"code"`
	// Doc is the SearchDoc as JSON, stored and not indexed, so a hit
	// carries everything ranking and display need.
	Doc string `json:"doc"`
}

func newMapping() (*mapping.IndexMappingImpl, error) {
	im := mapping.NewIndexMapping()
	im.ScoringModel = "bm25"
	if err := im.AddCustomTokenFilter("music_edge", map[string]any{
		"type": edgengram.Name, "min": 1.0, "max": 20.0,
	}); err != nil {
		return nil, err
	}
	base := []any{cjk.WidthName, lowercase.Name, cjk.BigramName}
	analyzers := map[string]map[string]any{
		textAnalyzer: {"type": custom.Name, "char_filters": []any{asciifolding.Name},
			"tokenizer": unicode.Name, "token_filters": base},
		prefixAnalyzer: {"type": custom.Name, "char_filters": []any{asciifolding.Name},
			"tokenizer": unicode.Name, "token_filters": append(base, "music_edge")},
		foldAnalyzer: {"type": custom.Name, "char_filters": []any{asciifolding.Name},
			"tokenizer": single.Name, "token_filters": []any{lowercase.Name}},
	}
	for name, def := range analyzers {
		if err := im.AddCustomAnalyzer(name, def); err != nil {
			return nil, err
		}
	}

	text := func(name, analyzer string, all bool) *mapping.FieldMapping {
		f := mapping.NewTextFieldMapping()
		f.Name, f.Analyzer, f.Store, f.IncludeInAll = name, analyzer, false, all
		f.IncludeTermVectors = false
		return f
	}
	kw := func(analyzer string) *mapping.FieldMapping {
		f := mapping.NewKeywordFieldMapping()
		f.Analyzer, f.Store, f.IncludeInAll = analyzer, false, false
		return f
	}
	doc := mapping.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(fieldName, text(fieldName, textAnalyzer, true), text(fieldNamePrefix, prefixAnalyzer, false))
	doc.AddFieldMappingsAt(fieldArtists, text(fieldArtists, textAnalyzer, true), text(fieldArtistsPrefix, prefixAnalyzer, false))
	doc.AddFieldMappingsAt(fieldAlbum, text(fieldAlbum, textAnalyzer, true))
	doc.AddFieldMappingsAt(fieldGenre, kw(foldAnalyzer))
	doc.AddFieldMappingsAt(fieldCode, kw(keyword.Name))
	stored := mapping.NewTextFieldMapping()
	stored.Index, stored.Store, stored.IncludeInAll = false, true, false
	stored.DocValues = false
	doc.AddFieldMappingsAt(fieldDoc, stored)

	im.DefaultMapping = doc
	im.DefaultAnalyzer = textAnalyzer
	im.DefaultField = fieldAll
	return im, nil
}
