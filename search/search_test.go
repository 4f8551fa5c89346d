package search

import (
	"math"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	music "github.com/openmusic/music"
)

func TestParseParams(t *testing.T) {
	ok := func(q music.SearchQuery) func(*testing.T, music.SearchQuery) {
		return func(t *testing.T, got music.SearchQuery) {
			if got.Text != q.Text || got.Limit != q.Limit || got.Offset != q.Offset || got.Genre != q.Genre || len(got.Types) != len(q.Types) {
				t.Fatalf("got %+v, want %+v", got, q)
			}
		}
	}
	tests := []struct {
		name    string
		params  url.Values
		wantErr string // substring of the EINVALID message; "" for success
		check   func(*testing.T, music.SearchQuery)
	}{
		{"defaults", url.Values{"q": {"  bohemian\trhapsody "}}, "", ok(music.SearchQuery{Text: "bohemian rhapsody", Limit: 10})},
		{"all params", url.Values{"q": {"halo"}, "type": {"track, ARTIST,track"}, "limit": {"50"}, "offset": {"1000"}, "genre": {" pop "}},
			"", ok(music.SearchQuery{Text: "halo", Types: []music.DocType{music.DocTrack, music.DocArtist}, Limit: 50, Offset: 1000, Genre: "pop"})},
		{"syntax kept as text", url.Values{"q": {`halo"*:~^(`}}, "", ok(music.SearchQuery{Text: `halo"*:~^(`, Limit: 10})},
		{"japanese", url.Values{"q": {"冬の夜"}}, "", ok(music.SearchQuery{Text: "冬の夜", Limit: 10})},
		{"empty q", url.Values{"q": {""}}, "q: must not be empty", nil},
		{"missing q", url.Values{}, "q: must not be empty", nil},
		{"blank q", url.Values{"q": {" \t\n"}}, "q: must not be empty", nil},
		{"10 kB q", url.Values{"q": {strings.Repeat("abcde ", 1700)}}, "q: 10200 bytes", nil},
		{"invalid utf-8", url.Values{"q": {"hal\xffo"}}, "q: not valid UTF-8", nil},
		{"only syntax", url.Values{"q": {`"*:~^(`}}, "q: has no letters or digits", nil},
		{"too many words", url.Values{"q": {strings.Repeat("a ", 13)}}, "q: 13 words", nil},
		{"limit -1", url.Values{"q": {"x"}, "limit": {"-1"}}, `limit: "-1" is not an integer in 1..50`, nil},
		{"limit 0", url.Values{"q": {"x"}, "limit": {"0"}}, "limit:", nil},
		{"limit 1e9", url.Values{"q": {"x"}, "limit": {"1000000000"}}, "limit:", nil},
		{"limit overflow", url.Values{"q": {"x"}, "limit": {"99999999999999999999999"}}, "limit:", nil},
		{"limit text", url.Values{"q": {"x"}, "limit": {"ten"}}, "limit:", nil},
		{"offset -1", url.Values{"q": {"x"}, "offset": {"-1"}}, "offset:", nil},
		{"offset 1001", url.Values{"q": {"x"}, "offset": {"1001"}}, "offset:", nil},
		{"bad type", url.Values{"q": {"x"}, "type": {"track,playlist"}}, `type: "playlist"`, nil},
		{"empty type item", url.Values{"q": {"x"}, "type": {"track,"}}, `type: ""`, nil},
		{"genre too long", url.Values{"q": {"x"}, "genre": {strings.Repeat("g", 65)}}, "genre:", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := ParseParams(tt.params)
			if tt.wantErr != "" {
				if music.ErrorCode(err) != music.EINVALID || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want EINVALID containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, q)
		})
	}
}

func TestParseSuggestParams(t *testing.T) {
	q, err := ParseSuggestParams(url.Values{"q": {"bohem"}})
	if err != nil || q.Limit != DefaultSuggests || q.Text != "bohem" {
		t.Fatalf("got %+v, %v", q, err)
	}
	if _, err := ParseSuggestParams(url.Values{"q": {"x"}, "limit": {"51"}}); music.ErrorCode(err) != music.EINVALID {
		t.Fatalf("limit 51: %v", err)
	}
}

func TestFuzziness(t *testing.T) {
	for w, want := range map[string]int{"a": 0, "u2": 0, "one": 1, "halo": 1, "queen": 1, "bettles": 2, "don't": 1, "冬の夜": 0, "방탄소년단": 0, "Beyoncé": 2} {
		if got := Fuzziness(w); got != want {
			t.Errorf("Fuzziness(%q) = %d, want %d", w, got, want)
		}
	}
}

func TestQueryWords(t *testing.T) {
	got := strings.Join(QueryWords(`AC/DC "Highway*" to:hell~ (live)^2 don't Beyoncé 冬の夜`), "|")
	want := "AC|DC|Highway|to|hell|live|2|don't|Beyoncé|冬の夜"
	if got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}

func TestCodeQuery(t *testing.T) {
	tests := []struct{ in, code, field string }{
		{"GB-UM7-10-29604", "GBUM71029604", "isrc"},
		{"gbum71029604", "GBUM71029604", "isrc"},
		{"602547202758", "602547202758", "upc"},
		{"5099907138457", "5099907138457", "upc"},
		{"00094631432057", "00094631432057", "upc"},
		{"halo", "", ""},
		{"GBUM7102960X", "", ""},
		{"12345", "", ""},
		{"GB UM7 10 2960é", "", ""},
	}
	for _, tt := range tests {
		code, field, ok := CodeQuery(tt.in)
		if code != tt.code || field != tt.field || ok != (tt.code != "") {
			t.Errorf("CodeQuery(%q) = %q, %q, %v", tt.in, code, field, ok)
		}
	}
}

func TestRankFactor(t *testing.T) {
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		pop      int
		released time.Time
		want     float64
	}{
		{0, time.Time{}, 1},
		{100, time.Time{}, 6},
		{20, now, 2 * 1.3},
		{20, now.AddDate(0, 0, 30), 2 * 1.3}, // future: clamped
		{20, now.Add(-180 * 24 * time.Hour), 2 * (1 + 0.3/math.E)}, // one e-folding
		{-5, time.Time{}, 1},
	}
	for _, tt := range tests {
		if got := RankFactor(tt.pop, tt.released, now); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("RankFactor(%d, %v) = %v, want %v", tt.pop, tt.released, got, tt.want)
		}
	}
}

// FuzzParseParams checks that no input panics and that an accepted
// query always respects the bounds the engines rely on.
func FuzzParseParams(f *testing.F) {
	f.Add("bohemian rhapsody", "track,artist", "10", "0")
	f.Add(`"*:~^(`, "", "-1", "")
	f.Add("hal\xffo", "album", "1000000000", "5")
	f.Add("冬の夜", "track", "", "1000")
	f.Fuzz(func(t *testing.T, q, typ, limit, offset string) {
		got, err := ParseParams(url.Values{"q": {q}, "type": {typ}, "limit": {limit}, "offset": {offset}})
		if err != nil {
			if music.ErrorCode(err) != music.EINVALID {
				t.Fatalf("error with code %q: %v", music.ErrorCode(err), err)
			}
			return
		}
		n := len(QueryWords(got.Text))
		if !utf8.ValidString(got.Text) || len(got.Text) > MaxQueryBytes || n == 0 || n > MaxQueryWords ||
			got.Limit < 1 || got.Limit > MaxLimit || got.Offset < 0 || got.Offset > MaxOffset {
			t.Fatalf("accepted out-of-bounds query %+v", got)
		}
		for _, w := range QueryWords(got.Text) {
			if strings.ContainsAny(w, `"*:~^()[]{}\/+!`) {
				t.Fatalf("word %q keeps query syntax", w)
			}
		}
	})
}

// FuzzCodeQuery checks that recognized codes are normalized identifiers.
func FuzzCodeQuery(f *testing.F) {
	f.Add("GB-UM7-10-29604")
	f.Add("602547202758")
	f.Add("é")
	f.Fuzz(func(t *testing.T, s string) {
		code, field, ok := CodeQuery(s)
		if !ok {
			return
		}
		if (field != "isrc" && field != "upc") || len(code) < 12 || len(code) > 14 || strings.ToUpper(code) != code {
			t.Fatalf("CodeQuery(%q) = %q, %q", s, code, field)
		}
	})
}

func TestOwnerFirst(t *testing.T) {
	hit := func(typ music.DocType, id string, score float64) music.SearchHit {
		return music.SearchHit{SearchDoc: music.SearchDoc{Type: typ, ID: id}, Score: score}
	}
	for _, tc := range []struct {
		field   string
		wantTop string
	}{{"upc", "album:al"}, {"isrc", "track:t1"}} {
		r := &music.SearchResults{
			Tracks: &music.SearchGroup{Items: []music.SearchHit{hit(music.DocTrack, "t1", 8), hit(music.DocTrack, "t2", 4)}},
			Albums: &music.SearchGroup{Items: []music.SearchHit{hit(music.DocAlbum, "al", 2)}},
		}
		ownerFirst(r, tc.field)
		if r.Top == nil || r.Top.Key() != tc.wantTop {
			t.Errorf("%s: top %+v, want %s", tc.field, r.Top, tc.wantTop)
		}
		if tc.field == "upc" && (r.Tracks.Items[0].Score != 1 || r.Tracks.Items[1].Score != 0.5) {
			t.Errorf("upc: track scores %v, %v; want 1, 0.5 (half the album's, order kept)", r.Tracks.Items[0].Score, r.Tracks.Items[1].Score)
		}
		if tc.field == "isrc" && r.Albums.Items[0].Score != 2 {
			t.Errorf("isrc: album score changed to %v although below the track", r.Albums.Items[0].Score)
		}
	}
}

func TestNeedsFuzzyPass(t *testing.T) {
	for _, c := range []struct {
		text  string
		exact uint64
		want  bool
	}{
		{"halo", 0, true},
		{"halo", ExactEnough - 1, true},
		{"halo", ExactEnough, false}, // the exact words found enough
		{"ab cd", 0, false},          // no word long enough to have a fuzziness
		{"冬の夜", 0, false},            // CJK has none either
		{"ab halo", 3, true},
	} {
		if got := NeedsFuzzyPass(c.text, c.exact); got != c.want {
			t.Errorf("NeedsFuzzyPass(%q, %d) = %v, want %v", c.text, c.exact, got, c.want)
		}
	}
}
