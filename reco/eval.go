package reco

import (
	"context"
	"math"
	"sort"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/lake/synth"
)

// Offline evaluation. Each user's last HoldOutDays of plays are hidden;
// the models train on the rest. A user's truth is the tracks they played
// for 30 s or more in the hidden days and had never touched before (the
// lists only recommend unheard tracks). For each model alone and the
// blend, the top EvalK candidates are scored:
//
//   - recall@K: hits over min(K, |truth|), averaged over users;
//   - NDCG@K: discounted hits over the ideal ordering;
//   - coverage: distinct recommended tracks over the catalog;
//   - novelty: mean self-information −log₂ p of recommended tracks, p the
//     track's share of training plays (add-one smoothed): higher means
//     less obvious picks.

// Evaluation constants.
const (
	EvalK       = 10
	HoldOutDays = 7
)

// EvalResult is one model's figures.
type EvalResult struct {
	Model    string  `json:"model"`
	Recall   float64 `json:"recall_at_10"`
	NDCG     float64 `json:"ndcg_at_10"`
	Coverage float64 `json:"coverage"`
	Novelty  float64 `json:"novelty_bits"`
}

// EvalReport is the whole evaluation.
type EvalReport struct {
	Users, Tracks, Events, TestUsers int
	Train                            TrainStats
	Results                          []EvalResult
	Seconds                          float64
}

// EvaluateWorld trains on a planted-taste world's lake (synth.GenerateTastes
// wrote it into store) minus the held-out days and scores every model on
// up to maxTestUsers of the users with held-out truth (0: all).
func EvaluateWorld(ctx context.Context, store music.BlobStore, w *synth.World, o TrainOptions, maxTestUsers int) (*EvalReport, error) {
	t0 := time.Now()
	start := w.Start
	end := start.AddDate(0, 0, w.Days)
	split := end.AddDate(0, 0, -HoldOutDays)
	c := &Corpus{}
	index := map[string]int32{}
	for i, t := range w.Tracks {
		index[t.ID] = int32(i)
		f := t.Features
		c.Items = append(c.Items, Item{ID: t.ID, Artists: []string{t.Artist}, Genre: synth.GenreName(t.Genre)})
		c.Features = append(c.Features, &f)
	}
	userIdx := map[string]int{}
	for i, u := range w.Users {
		userIdx[u.ID] = i
	}
	train := make([]map[int32]float32, len(w.Users))
	plays := map[string]*TrackPlays{}
	add := func(user, track string, wt float32) {
		u, ok := userIdx[user]
		i, ok2 := index[track]
		if !ok || !ok2 {
			return
		}
		if train[u] == nil {
			train[u] = map[int32]float32{}
		}
		train[u][i] += wt
	}
	if err := ScanPlays(ctx, store, start, split, 1, 0, 1, add, plays); err != nil {
		return nil, err
	}
	var totalPlays int64
	for id, tp := range plays {
		c.Items[index[id]].Plays, c.Items[index[id]].Completions = tp.Plays, tp.Completions
		totalPlays += tp.Plays
	}
	for u, tu := range w.Users {
		us := User{ID: tu.ID}
		var items []int32
		for i := range train[u] {
			items = append(items, i)
		}
		sort.Slice(items, func(a, b int) bool { return items[a] < items[b] })
		for _, i := range items {
			us.Items, us.R = append(us.Items, i), append(us.R, train[u][i])
		}
		c.Users = append(c.Users, us)
	}
	for _, pl := range w.Playlists {
		c.Playlists = append(c.Playlists, indices32(pl, index))
	}
	truth := make([]map[int]bool, len(w.Users))
	addTest := func(user, track string, wt float32) {
		u, ok := userIdx[user]
		i, ok2 := index[track]
		if !ok || !ok2 || wt <= 0 || c.Users[u].has(int(i)) {
			return
		}
		if truth[u] == nil {
			truth[u] = map[int]bool{}
		}
		truth[u][int(i)] = true
	}
	if err := ScanPlays(ctx, store, split, end, 1, 0, 1, addTest, nil); err != nil {
		return nil, err
	}
	m, st, err := Train(ctx, c, split, o)
	if err != nil {
		return nil, err
	}
	var test []int
	for u := range w.Users {
		if len(truth[u]) > 0 && len(c.Users[u].Items) > 0 {
			test = append(test, u)
		}
	}
	if maxTestUsers > 0 && len(test) > maxTestUsers {
		step := float64(len(test)) / float64(maxTestUsers)
		var sample []int
		for k := range maxTestUsers {
			sample = append(sample, test[int(float64(k)*step)])
		}
		test = sample
	}
	testUsers := make([]User, len(test))
	for k, u := range test {
		testUsers[k] = c.Users[u]
	}
	x, err := m.UserFactors(ctx, testUsers)
	if err != nil {
		return nil, err
	}
	rep := &EvalReport{Users: len(w.Users), Tracks: len(w.Tracks), Events: w.Events, TestUsers: len(test), Train: st}
	for _, src := range []int{SourcePopular, SourceALS, SourceCoOc, SourceW2V, SourceContent, SourceAll} {
		res := EvalResult{Model: SourceNames[src]}
		seen := map[int]bool{}
		var novelty float64
		var recs int
		for k, u := range test {
			var xu []float64
			if x.K > 0 {
				xu = x.Vec(k)
			}
			top := m.Candidates(&testUsers[k], xu, src, EvalK)
			hits, dcg, idcg := 0, 0.0, 0.0
			for rank, s := range top {
				seen[s.Item] = true
				p := float64(c.Items[s.Item].Plays+1) / float64(totalPlays+int64(len(c.Items)))
				novelty -= math.Log2(p)
				recs++
				if truth[u][s.Item] {
					hits++
					dcg += 1 / math.Log2(float64(rank+2))
				}
			}
			for rank := range min(EvalK, len(truth[u])) {
				idcg += 1 / math.Log2(float64(rank+2))
			}
			res.Recall += float64(hits) / float64(min(EvalK, len(truth[u])))
			res.NDCG += dcg / idcg
		}
		if n := float64(len(test)); n > 0 {
			res.Recall /= n
			res.NDCG /= n
		}
		if recs > 0 {
			res.Novelty = novelty / float64(recs)
		}
		res.Coverage = float64(len(seen)) / float64(len(c.Items))
		rep.Results = append(rep.Results, res)
	}
	rep.Seconds = time.Since(t0).Seconds()
	return rep, nil
}

func indices32(ids []string, index map[string]int32) []int32 {
	out := make([]int32, 0, len(ids))
	for _, id := range ids {
		if i, ok := index[id]; ok {
			out = append(out, i)
		}
	}
	return out
}
