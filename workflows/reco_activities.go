package workflows

import (
	"bytes"
	"context"
	"encoding/gob"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/reco"
	"github.com/openmusic/music/royalty"
)

// RecoStore is what the recommendation batch reads from the catalog DB
// (sqlstore.Store implements it).
type RecoStore interface {
	RecoItems(ctx context.Context) ([]reco.Item, []*music.AudioFeatures, error)
	EachLibraryItem(ctx context.Context, fn func(userID, kind, itemID string) error) error
	EachPlaylist(ctx context.Context, fn func(ownerID string, trackIDs []string) error) error
}

// RecoPart is one extract activity's users.
type RecoPart struct {
	Prefix, AsOf    string
	Days            int
	Buckets, Lo, Hi int
}

// PartSignals is what RecoExtract stores for its users.
type PartSignals struct {
	Users []UserSignals // by user ID
	Plays map[string]reco.TrackPlays
	// Playlists are the track sequences of playlists the part's users own.
	Playlists [][]string
}

// UserSignals is one user's summed signal per track and followed artists.
type UserSignals struct {
	ID       string
	Tracks   []string
	R        []float32
	Followed []string
}

// RecoExtract reads the part's users' signals and stores them.
func (a *Activities) RecoExtract(ctx context.Context, p RecoPart) (string, error) {
	_, stop := keepAlive(ctx, "extract")
	defer stop()
	// One part per core at once: every part reads the whole lake, and all
	// of them together held 12.8 GB at 1 M users.
	release, err := a.cpu().acquire(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	asOf, err := time.Parse(time.DateOnly, p.AsOf)
	if err != nil {
		return "", activityError(music.Errorf(music.EINVALID, "as-of %q", p.AsOf))
	}
	inPart := func(user string) bool {
		b := royalty.UserBucket([]byte(user), p.Buckets)
		return b >= p.Lo && b < p.Hi
	}
	sig := map[string]map[string]float32{}
	add := func(user, track string, w float32) {
		m := sig[user]
		if m == nil {
			m = map[string]float32{}
			sig[user] = m
		}
		m[track] += w
	}
	out := PartSignals{Plays: map[string]reco.TrackPlays{}}
	plays := map[string]*reco.TrackPlays{}
	if err := reco.ScanPlays(ctx, a.Blobs, asOf.AddDate(0, 0, -p.Days), asOf.AddDate(0, 0, 1), p.Buckets, p.Lo, p.Hi, add, plays); err != nil {
		return "", activityError(err)
	}
	for id, tp := range plays {
		out.Plays[id] = *tp
	}
	followed := map[string][]string{}
	if err := a.Reco.EachLibraryItem(ctx, func(user, kind, id string) error {
		if !inPart(user) {
			return nil
		}
		switch kind {
		case music.LibraryTrack:
			add(user, id, reco.WeightSave)
		case music.LibraryArtist:
			followed[user] = append(followed[user], id)
		}
		return nil
	}); err != nil {
		return "", err
	}
	if err := a.Reco.EachPlaylist(ctx, func(owner string, tracks []string) error {
		if !inPart(owner) {
			return nil
		}
		out.Playlists = append(out.Playlists, tracks)
		for _, t := range tracks {
			add(owner, t, reco.WeightPlaylist)
		}
		return nil
	}); err != nil {
		return "", err
	}
	users := make([]string, 0, len(sig)+len(followed))
	for u := range sig {
		users = append(users, u)
	}
	for u := range followed {
		if sig[u] == nil {
			users = append(users, u)
		}
	}
	sort.Strings(users)
	for _, u := range users {
		us := UserSignals{ID: u, Followed: followed[u]}
		for t := range sig[u] {
			us.Tracks = append(us.Tracks, t)
		}
		sort.Strings(us.Tracks)
		for _, t := range us.Tracks {
			us.R = append(us.R, sig[u][t])
		}
		out.Users = append(out.Users, us)
	}
	key := fmt.Sprintf("%sparts/%04d-%04d-of-%04d.gob", p.Prefix, p.Lo, p.Hi, p.Buckets)
	return key, a.putGob(ctx, key, out)
}

// RecoTrainRequest names the extracted parts.
type RecoTrainRequest struct {
	Prefix, AsOf        string
	PartKeys            []string
	Factors, Iterations int
}

// RecoTrained is where the model went.
type RecoTrained struct {
	ModelKey string
	Stats    reco.TrainStats
}

// RecoTrain fits the models on every part and stores the model.
func (a *Activities) RecoTrain(ctx context.Context, r RecoTrainRequest) (RecoTrained, error) {
	set, stop := keepAlive(ctx, "train")
	defer stop()
	asOf, err := time.Parse(time.DateOnly, r.AsOf)
	if err != nil {
		return RecoTrained{}, activityError(music.Errorf(music.EINVALID, "as-of %q", r.AsOf))
	}
	items, feats, err := a.Reco.RecoItems(ctx)
	if err != nil {
		return RecoTrained{}, err
	}
	index := make(map[string]int32, len(items))
	for i, it := range items {
		index[it.ID] = int32(i)
	}
	c := &reco.Corpus{Items: items, Features: feats}
	for _, key := range r.PartKeys {
		var p PartSignals
		if err := a.getGob(ctx, key, &p); err != nil {
			return RecoTrained{}, err
		}
		for id, tp := range p.Plays {
			if i, ok := index[id]; ok {
				c.Items[i].Plays += tp.Plays
				c.Items[i].Completions += tp.Completions
			}
		}
		for _, us := range p.Users {
			c.Users = append(c.Users, userOf(us, index))
		}
		for _, pl := range p.Playlists {
			if s := indices(pl, index); len(s) > 1 {
				c.Playlists = append(c.Playlists, s)
			}
		}
	}
	m, st, err := reco.Train(ctx, c, asOf, reco.TrainOptions{
		ALS:      reco.ALSOptions{Factors: r.Factors, Iterations: r.Iterations, Seed: 1},
		W2V:      reco.W2VOptions{Seed: 1},
		Progress: func(step string) { set(Heartbeat{Stage: "train " + step}) },
	})
	if err != nil {
		return RecoTrained{}, err
	}
	key := r.Prefix + "model.gob"
	return RecoTrained{ModelKey: key, Stats: st}, reco.SaveModel(ctx, a.Blobs, key, m)
}

func userOf(us UserSignals, index map[string]int32) reco.User {
	u := reco.User{ID: us.ID, Followed: us.Followed}
	type pair struct {
		i int32
		r float32
	}
	var ps []pair
	for n, t := range us.Tracks {
		// A zero sum (a play and two skips) still marks the track as
		// heard: it stays, and only the matrix drops it.
		if i, ok := index[t]; ok {
			ps = append(ps, pair{i, us.R[n]})
		}
	}
	sort.Slice(ps, func(a, b int) bool { return ps[a].i < ps[b].i })
	for _, p := range ps {
		u.Items, u.R = append(u.Items, p.i), append(u.R, p.r)
	}
	return u
}

func indices(ids []string, index map[string]int32) []int32 {
	var out []int32
	for _, id := range ids {
		if i, ok := index[id]; ok {
			out = append(out, i)
		}
	}
	return out
}

// RecoListsRequest names a part to build lists for.
type RecoListsRequest struct {
	ModelKey, PartKey, AsOf string
	Lists                   []string
}

// recoWriteBatch is how many users' lists go to the cache per write.
const recoWriteBatch = 500

// RecoLists builds the part's users' lists from the shared model and
// writes them to the cache; it returns how many lists it wrote. A retry
// after a cache failure rewrites them all, each whole.
func (a *Activities) RecoLists(ctx context.Context, r RecoListsRequest) (int, error) {
	set, stop := keepAlive(ctx, "lists")
	defer stop()
	release, err := a.cpu().acquire(ctx) // a part's users' factors and lists keep a core busy
	if err != nil {
		return 0, err
	}
	defer release()
	m, index, err := a.recoModel.get(ctx, a.Blobs, r.ModelKey)
	if err != nil {
		return 0, activityError(err)
	}
	var p PartSignals
	if err := a.getGob(ctx, r.PartKey, &p); err != nil {
		return 0, err
	}
	users := make([]reco.User, len(p.Users))
	for i, us := range p.Users {
		users[i] = userOf(us, index)
	}
	x, err := m.UserFactors(ctx, users)
	if err != nil {
		return 0, err
	}
	generated := a.now().UTC()
	seed := rngSeed(r.AsOf)
	written := 0
	var batch []music.RecoList
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := a.Cache.PutLists(ctx, batch, music.RecoCacheTTL); err != nil {
			return err
		}
		written += len(batch)
		batch = batch[:0]
		set(Heartbeat{Stage: "lists", Fraction: float64(written) / float64(max(1, len(users)*len(r.Lists)))})
		return nil
	}
	ids := func(items []int) []string {
		out := make([]string, 0, len(items))
		for _, i := range items {
			out = append(out, m.Items[i].ID)
		}
		return out
	}
	for ui := range users {
		u := &users[ui]
		rng := rand.New(rand.NewPCG(seed, userSeed(u.ID)))
		var xu []float64
		if x.K > 0 {
			xu = x.Vec(ui)
		}
		for _, name := range r.Lists {
			l := music.RecoList{UserID: u.ID, List: name, GeneratedAt: generated}
			switch name {
			case reco.ListDiscoverWeekly:
				l.TrackIDs = ids(m.DiscoverWeekly(u, xu, rng))
			case reco.ListReleaseRadar:
				l.TrackIDs = ids(m.ReleaseRadar(u))
			case reco.ListDailyMix:
				for _, mix := range m.DailyMixes(u) {
					room := music.RecoCacheSize - len(l.TrackIDs)
					if room <= 0 {
						break
					}
					t := ids(mix.Items[:min(len(mix.Items), room)])
					l.Mixes = append(l.Mixes, music.RecoMix{Name: mix.Name, TrackIDs: t})
					l.TrackIDs = append(l.TrackIDs, t...)
				}
			}
			if len(l.TrackIDs) > 0 {
				batch = append(batch, l)
			}
		}
		if len(batch) >= recoWriteBatch {
			if err := flush(); err != nil {
				return written, err
			}
		}
	}
	return written, flush()
}

// rngSeed and userSeed make each user's exploration draws reproducible
// for one as-of day and different from week to week.
func rngSeed(asOf string) uint64 { return userSeed("asof:" + asOf) }

func userSeed(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

func (a *Activities) putGob(ctx context.Context, key string, v any) error {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		return err
	}
	if _, err := a.Blobs.Put(ctx, key, &buf, music.PutOptions{ContentType: "application/octet-stream"}); err != nil {
		return fmt.Errorf("store %s: %w", key, err)
	}
	return nil
}

func (a *Activities) getGob(ctx context.Context, key string, v any) error {
	rc, _, err := a.Blobs.Get(ctx, key)
	if err != nil {
		return fmt.Errorf("read %s: %w", key, err)
	}
	defer rc.Close()
	if err := gob.NewDecoder(rc).Decode(v); err != nil {
		return activityError(music.Errorf(music.EINVALID, "%s: %v", key, err))
	}
	return nil
}

func (a *Activities) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}
