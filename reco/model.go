package reco

import "github.com/openmusic/music/recodata"

// Item is what the models and lists know of a catalog track (defined
// with the catalog store's other reco records in recodata).
type Item = recodata.Item

// Model is everything list building needs, trained once per batch run and
// shared by all user parts (the workflow stores it in the blob store).
type Model struct {
	Items   []Item
	Factors Factors    // ALS item factors
	ALS     ALSOptions // to solve user factors against Factors
	CoOc    Neighbours // co-occurrence neighbours
	W2V     Neighbours // playlist2vec neighbours
	Content Neighbours // audio-feature neighbours
	Popular []int32    // items by popularity, most popular first
	AsOf    int64      // day the batch ran (days since epoch)
}

// Sources of candidates, for blending and per-model evaluation.
const (
	SourceALS = 1 << iota
	SourceCoOc
	SourceW2V
	SourceContent
	SourcePopular
	SourceAll = SourceALS | SourceCoOc | SourceW2V | SourceContent | SourcePopular
)

// SourceNames names each source as reports print it.
var SourceNames = map[int]string{
	SourceALS: "als", SourceCoOc: "cooccurrence", SourceW2V: "playlist2vec",
	SourceContent: "content", SourcePopular: "popularity", SourceAll: "blend",
}

// blendWeights weigh each source's reciprocal ranks in the blend.
var blendWeights = map[int]float64{SourceALS: 1, SourceCoOc: 1, SourceW2V: 0.7, SourceContent: 0.3, SourcePopular: 0.15}

// User is one listener's signals, as list building needs them.
type User struct {
	ID       string
	Items    []int32   // ascending, as a Matrix row
	R        []float32 // signal per item (> 0 liked, < 0 skipped)
	Followed []string  // artist IDs saved to the library
}

// has reports whether the user has any signal for item (played, skipped
// or saved): such items are never "new" to them.
func (u *User) has(item int) bool {
	lo, hi := 0, len(u.Items)
	for lo < hi {
		mid := (lo + hi) / 2
		switch v := int(u.Items[mid]); {
		case v == item:
			return true
		case v < item:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return false
}

// liked returns the user's positive items, strongest first, at most n.
func (u *User) liked(n int) []Scored {
	t := topK{k: n}
	for i, it := range u.Items {
		if u.R[i] > 0 {
			t.add(int(it), float64(u.R[i]))
		}
	}
	return t.sorted()
}
