package synth

import (
	"context"
	"math/rand/v2"
	"sort"
	"strconv"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/lake"
	"github.com/openmusic/music/plays"
)

// TasteConfig sizes a planted-taste world: listeners with hidden
// preferences over genre clusters, whose plays and playlists follow them,
// so a recommender's quality can be measured against a known truth.
type TasteConfig struct {
	Start         time.Time // first day of plays (UTC)
	Days          int       // days of plays (default 35: four weeks to train, one held out)
	Users, Tracks int
	Genres        int // taste clusters (default 20)
	TracksPerArt  int // tracks per artist (default 10)
	PlaysPerUser  int // average plays per user over the period (default 60)
	// TasteShare is the share of plays drawn from the user's own genres
	// (default 0.85); the rest follow global popularity.
	TasteShare  float64
	Playlists   int // playlists drawn from the same tastes (default Users/10)
	PlaylistLen int // default 20
	Seed        uint64
	// UserPrefix names the users (default "tu"); tests use distinct ones.
	UserPrefix string
}

func (c *TasteConfig) defaults() {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&c.Days, 35)
	def(&c.Genres, 20)
	def(&c.TracksPerArt, 10)
	def(&c.PlaysPerUser, 60)
	def(&c.Playlists, c.Users/10)
	def(&c.PlaylistLen, 20)
	if c.TasteShare <= 0 {
		c.TasteShare = 0.85
	}
	if c.UserPrefix == "" {
		c.UserPrefix = "tu"
	}
}

// TasteTrack is a generated track. Its audio features are drawn around
// its genre's centre, so sound and taste agree as they tend to in life
// and the content model has something to find.
type TasteTrack struct {
	ID, Artist string
	Genre      int
	Features   music.AudioFeatures
}

// TasteUser is a generated listener and the genres they like.
type TasteUser struct {
	ID     string
	Genres []int
}

// World is the generated truth: the catalog, the users' tastes and the
// playlists (track IDs). The plays are in the lake.
type World struct {
	Start     time.Time // first day of plays
	Days      int
	Tracks    []TasteTrack
	Users     []TasteUser
	Playlists [][]string
	Events    int
}

// GenreName names genre g.
func GenreName(g int) string { return "genre-" + strconv.Itoa(g) }

// GenerateTastes writes the world's plays into store's lake and returns
// the world. Within a genre, tracks are Zipf-popular; a play is on-taste
// with probability TasteShare (skipped 10% of the time) and otherwise a
// globally popular track (skipped 50% of the time).
func GenerateTastes(ctx context.Context, store music.BlobStore, cfg TasteConfig) (*World, error) {
	cfg.defaults()
	if cfg.Users <= 0 || cfg.Tracks < cfg.Genres || cfg.Start.IsZero() {
		return nil, music.Errorf(music.EINVALID, "synth tastes: need users > 0, tracks >= genres (%d) and a start day", cfg.Genres)
	}
	r := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0xda942042e4dd58b5))
	w := &World{}
	byGenre := make([][]int, cfg.Genres)
	for t := range cfg.Tracks {
		g := t % cfg.Genres
		art := t / cfg.Genres / cfg.TracksPerArt
		w.Tracks = append(w.Tracks, TasteTrack{ID: "tt" + strconv.Itoa(t), Artist: "ta" + strconv.Itoa(g) + "-" + strconv.Itoa(art),
			Genre: g, Features: genreFeatures(r, g)})
		byGenre[g] = append(byGenre[g], t)
	}
	genreZipf := make([]*rand.Zipf, cfg.Genres)
	for g, ts := range byGenre {
		genreZipf[g] = rand.NewZipf(r, 1.05, 2, uint64(len(ts)-1))
	}
	globalZipf := rand.NewZipf(r, 1.1, 1, uint64(cfg.Tracks-1))
	pick := func(genres []int) (int, bool) {
		if r.Float64() < cfg.TasteShare {
			g := genres[r.IntN(len(genres))]
			return byGenre[g][genreZipf[g].Uint64()], true
		}
		// Global popularity: a permutation so popular tracks spread over genres.
		return int(globalZipf.Uint64() * 7919 % uint64(cfg.Tracks)), false
	}
	for u := range cfg.Users {
		n := 1 + r.IntN(2)
		gs := []int{r.IntN(cfg.Genres)}
		for len(gs) < n {
			if g := r.IntN(cfg.Genres); g != gs[0] {
				gs = append(gs, g)
			}
		}
		w.Users = append(w.Users, TasteUser{ID: cfg.UserPrefix + strconv.Itoa(u), Genres: gs})
	}
	for range cfg.Playlists {
		gs := w.Users[r.IntN(len(w.Users))].Genres
		seen := map[int]bool{}
		var pl []string
		for len(pl) < cfg.PlaylistLen && len(seen) < cfg.Tracks {
			t, _ := pick(gs)
			if !seen[t] {
				seen[t] = true
				pl = append(pl, w.Tracks[t].ID)
			}
		}
		w.Playlists = append(w.Playlists, pl)
	}
	// Plays, a day at a time in log-sequence order.
	start := cfg.Start.UTC().Truncate(24 * time.Hour)
	w.Start, w.Days = start, cfg.Days
	perDay := float64(cfg.PlaysPerUser) / float64(cfg.Days)
	var seq uint64
	var buf []plays.Event
	for d := range cfg.Days {
		day := start.AddDate(0, 0, d)
		buf = buf[:0]
		for _, u := range w.Users {
			n := int(perDay)
			if r.Float64() < perDay-float64(n) {
				n++
			}
			for range n {
				t, on := pick(u.Genres)
				dur, done := int64(180_000), true
				skip := 0.5
				if on {
					skip = 0.1
				}
				if r.Float64() < skip {
					dur, done = int64(r.IntN(25_000)), false
				}
				// Evening listening, 17:00–22:00 UTC: five lake partitions a day.
				at := day.Add(17*time.Hour + time.Duration(r.Int64N(int64(5*time.Hour))))
				seq++
				buf = append(buf, plays.Event{
					EventID: "te" + strconv.FormatUint(seq, 36), UserID: u.ID, TrackID: w.Tracks[t].ID,
					SessionID: u.ID + "-" + strconv.Itoa(d), DeviceID: "d" + u.ID,
					PlayedAt: at.UnixMilli(), ReceivedAt: at.UnixMilli() + dur + 500, DurationListenedMs: dur,
					Completed: done, Quality: "160kbps", Territory: "GB", UserCreatedAt: start.AddDate(-1, 0, 0).UnixMilli(),
				})
			}
		}
		if len(buf) == 0 {
			continue
		}
		sort.Slice(buf, func(i, j int) bool { return buf[i].PlayedAt < buf[j].PlayedAt })
		rg := lake.SeqRange{First: seq - uint64(len(buf)) + 1, Last: seq}
		if _, err := lake.WriteBatch(ctx, store, rg, buf, lake.WriterOptions{}); err != nil {
			return nil, err
		}
		w.Events += len(buf)
	}
	return w, nil
}

// genreFeatures draws a track's features around genre g's centre.
func genreFeatures(r *rand.Rand, g int) music.AudioFeatures {
	h := func(salt int) float64 { // a fixed pseudo-random 0…1 per genre
		x := uint64(g*1000+salt) * 0x9e3779b97f4a7c15
		return float64(x>>11) / (1 << 53)
	}
	clamp := func(x float64) float64 { return max(0, min(1, x)) }
	tempo := (70 + 100*h(1)) * (1 + 0.05*r.NormFloat64())
	return music.AudioFeatures{
		Tempo: tempo, Key: r.IntN(12), Mode: map[bool]int{true: 1}[r.Float64() < h(2)],
		Energy: clamp(h(3) + 0.1*r.NormFloat64()), Danceability: clamp(h(4) + 0.1*r.NormFloat64()),
		Brightness: clamp(h(5)*0.5 + 0.05*r.NormFloat64()), SpectralCentroid: 500 + 3000*h(6)*(1+0.1*r.NormFloat64()),
		OnsetRate: 1 + 6*h(7) + 0.5*r.NormFloat64(), Loudness: -20 + 12*h(8) + r.NormFloat64(), Version: 1,
	}
}
