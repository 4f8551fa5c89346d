package reco

import (
	"cmp"
	"context"
	"slices"
	"time"

	music "github.com/openmusic/music"
)

// Corpus is everything training reads: the catalog's items with their
// features, each user's signals (item indices into Items), and playlists
// as sequences of item indices.
type Corpus struct {
	Items     []Item
	Features  []*music.AudioFeatures // per item, nil when not measured
	Users     []User
	Playlists [][]int32
}

// TrainOptions tunes Train.
type TrainOptions struct {
	ALS        ALSOptions
	W2V        W2VOptions
	Neighbours int // per item and model (default 50)
	// Sources selects the models to train (default SourceAll).
	Sources int
	// Progress, if set, names each step as it starts.
	Progress func(step string)
}

// TrainStats times each model.
type TrainStats struct {
	Users, Items, Signals, Playlists int
	Seconds                          map[string]float64
	W2VWords                         int64
}

// Matrix builds the users × items signal matrix.
func (c *Corpus) Matrix() *Matrix {
	var es []Entry
	for u, us := range c.Users {
		for n, it := range us.Items {
			es = append(es, Entry{User: int32(u), Item: it, R: us.R[n]})
		}
	}
	return NewMatrix(len(c.Users), len(c.Items), es)
}

// Train fits every selected model on c. asOf is the day the lists are for.
func Train(ctx context.Context, c *Corpus, asOf time.Time, o TrainOptions) (*Model, TrainStats, error) {
	if o.Sources == 0 {
		o.Sources = SourceAll
	}
	if o.Neighbours <= 0 {
		o.Neighbours = 50
	}
	step := func(s string) {
		if o.Progress != nil {
			o.Progress(s)
		}
	}
	m := &Model{Items: c.Items, AsOf: asOf.UTC().Unix() / 86400}
	st := TrainStats{Users: len(c.Users), Items: len(c.Items), Playlists: len(c.Playlists), Seconds: map[string]float64{}}
	timed := func(name string, fn func() error) error {
		step(name)
		t0 := time.Now()
		err := fn()
		st.Seconds[name] = time.Since(t0).Seconds()
		return err
	}
	mat := c.Matrix()
	st.Signals = mat.NNZ()
	o.ALS.defaults()
	m.ALS = o.ALS
	if o.Sources&SourceALS != 0 {
		if err := timed("als", func() error {
			a, err := TrainALS(ctx, mat, o.ALS)
			if err == nil {
				m.Factors = a.Items
			}
			return err
		}); err != nil {
			return nil, st, err
		}
	}
	if o.Sources&SourceCoOc != 0 {
		timed("cooccurrence", func() error { m.CoOc = CoOccurrence(mat, o.Neighbours, 100); return nil })
	}
	if o.Sources&SourceW2V != 0 {
		if err := timed("playlist2vec", func() error {
			v, ws, err := TrainWord2Vec(ctx, c.Playlists, len(c.Items), o.W2V)
			if err == nil {
				st.W2VWords = ws.Words
				m.W2V = v.AllNearest(o.Neighbours)
			}
			return err
		}); err != nil {
			return nil, st, err
		}
	}
	if o.Sources&SourceContent != 0 {
		timed("content", func() error { m.Content = ContentVectors(c.Features).AllNearest(o.Neighbours); return nil })
	}
	timed("popularity", func() error { m.Popular = byPopularity(c.Items); return nil })
	return m, st, ctx.Err()
}

// byPopularity orders items by popularity, then plays in the window.
func byPopularity(items []Item) []int32 {
	idx := make([]int32, len(items))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortFunc(idx, func(a, b int32) int {
		x, y := items[a], items[b]
		return cmp.Or(cmp.Compare(y.Popularity, x.Popularity), cmp.Compare(y.Plays, x.Plays), cmp.Compare(a, b))
	})
	return idx
}

// UserFactors solves the users' ALS factors against the model's item
// factors: the batch's per-part user step.
func (m *Model) UserFactors(ctx context.Context, users []User) (*Factors, error) {
	f := &Factors{N: len(users), K: m.Factors.K, Data: make([]float64, len(users)*m.Factors.K)}
	if m.Factors.N == 0 {
		return f, nil
	}
	c := Corpus{Items: m.Items, Users: users}
	// From zero rather than warm, so more CG steps than a training
	// iteration takes.
	opts := m.ALS
	opts.CGSteps = max(3*opts.CGSteps, 10)
	err := SolveRows(ctx, c.Matrix(), &m.Factors, f, opts)
	return f, err
}
