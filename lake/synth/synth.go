// Package synth generates a month of synthetic playback events in the lake
// format, for benchmarks and demos: power-law track popularity, listening
// sessions of consecutive plays with skips, progress reports, client
// retries and device switches, anonymous plays, plus a few bots, looping
// accounts and fresh accounts so the fraud rules have work to do.
// Everything is derived from Config.Seed, so a run is reproducible.
package synth

import (
	"context"
	"math/rand/v2"
	"strconv"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/lake"
	"github.com/openmusic/music/plays"
)

// Config sizes the generated month.
type Config struct {
	Month  time.Time // any instant in the month (UTC)
	Events int       // approximate number of events
	Users  int
	Tracks int
	Seed   uint64
	// ZipfS is the track popularity exponent (> 1).
	ZipfS float64
	// BatchHours is how many hours of sessions make one log batch (one
	// WriteBatch, so one file per touched partition).
	BatchHours int
}

// Defaults fills unset fields with a realistic shape.
func (c *Config) Defaults() {
	if c.Users == 0 {
		c.Users = max(c.Events/25, 10)
	}
	if c.Tracks == 0 {
		c.Tracks = max(c.Events/100, 10)
	}
	if c.ZipfS == 0 {
		c.ZipfS = 1.1
	}
	if c.BatchHours == 0 {
		c.BatchHours = 4
	}
}

var territories = []struct {
	code string
	w    int
}{{"US", 30}, {"BR", 12}, {"IN", 11}, {"DE", 10}, {"GB", 10}, {"FR", 8}, {"JP", 8}, {"MX", 8}, {"SE", 3}}

// diurnal weights sessions by UTC hour of day.
var diurnal = [24]int{3, 2, 2, 2, 3, 4, 6, 8, 9, 9, 9, 10, 10, 10, 10, 11, 12, 13, 14, 14, 12, 9, 6, 4}

// Stats reports what was generated.
type Stats struct {
	Events, Files, Sessions int
}

type gen struct {
	cfg    Config
	r      *rand.Rand
	zipf   *rand.Zipf
	start  time.Time
	seq    uint64
	evID   uint64
	sessID uint64
	buf    []plays.Event
	terr   []string
}

// Generate writes the month into store under lake.Prefix.
func Generate(ctx context.Context, store music.BlobStore, cfg Config) (Stats, error) {
	cfg.Defaults()
	if cfg.Events <= 0 || cfg.ZipfS <= 1 {
		return Stats{}, music.Errorf(music.EINVALID, "synth: need events > 0 and zipf exponent > 1")
	}
	g := &gen{cfg: cfg, r: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15))}
	g.zipf = rand.NewZipf(g.r, cfg.ZipfS, 1, uint64(cfg.Tracks-1))
	g.start = time.Date(cfg.Month.Year(), cfg.Month.Month(), 1, 0, 0, 0, 0, time.UTC)
	for _, t := range territories {
		for range t.w {
			g.terr = append(g.terr, t.code)
		}
	}
	hours := int(g.start.AddDate(0, 1, 0).Sub(g.start).Hours())
	dayWeight := 0
	for _, w := range diurnal {
		dayWeight += w
	}
	// ~13 events per session (12 plays, some extra reports).
	sessionsPerDay := float64(cfg.Events) / 13 / (float64(hours) / 24)
	var st Stats
	for h0 := 0; h0 < hours; h0 += cfg.BatchHours {
		for h := h0; h < min(h0+cfg.BatchHours, hours); h++ {
			n := int(sessionsPerDay * float64(diurnal[h%24]) / float64(dayWeight))
			for range n {
				g.session(g.start.Add(time.Duration(h)*time.Hour + time.Duration(g.r.Int64N(int64(time.Hour)))))
				st.Sessions++
			}
			g.specials(h)
		}
		// Keep plays inside the month: those spilling past its end drop.
		kept := g.buf[:0]
		for _, e := range g.buf {
			if e.PlayedAt < g.start.AddDate(0, 1, 0).UnixMilli() {
				kept = append(kept, e)
			}
		}
		if len(kept) > 0 {
			r := lake.SeqRange{First: g.seq + 1, Last: g.seq + uint64(len(kept))}
			keys, err := lake.WriteBatch(ctx, store, r, kept, lake.WriterOptions{})
			if err != nil {
				return st, err
			}
			g.seq = r.Last
			st.Files += len(keys)
			st.Events += len(kept)
		}
		g.buf = g.buf[:0]
	}
	return st, nil
}

func (g *gen) user() (id uint64, created int64) {
	u := g.r.Uint64N(uint64(g.cfg.Users))
	return u, g.start.Add(-time.Duration(1+u%700) * 24 * time.Hour).UnixMilli()
}

func (g *gen) id(prefix byte, n uint64) string {
	return string(strconv.AppendUint([]byte{prefix}, n, 36))
}

func (g *gen) emit(user string, created int64, terr, track, sess, dev string, at time.Time, dur int64, completed bool) {
	g.evID++
	g.buf = append(g.buf, plays.Event{
		EventID: string(strconv.AppendUint([]byte("e"), g.evID*0x9e3779b97f4a7c15^g.cfg.Seed, 16)), UserID: user, TrackID: track, SessionID: sess, DeviceID: dev,
		PlayedAt: at.UnixMilli(), ReceivedAt: at.UnixMilli() + dur + 500, DurationListenedMs: dur, Completed: completed,
		Quality: "160kbps", Territory: terr, UserCreatedAt: created,
	})
}

// session is one listener's run of consecutive plays.
func (g *gen) session(at time.Time) {
	u, created := g.user()
	user, terr, dev := g.id('u', u), g.terr[u%uint64(len(g.terr))], g.id('d', u)
	if g.r.IntN(100) < 3 { // logged-out listening
		user, created = "", 0
	}
	g.sessID++
	sess := g.id('s', g.sessID)
	plays := 1 + g.r.IntN(23)
	for range plays {
		track := g.id('t', g.zipf.Uint64())
		length := int64(120_000 + g.r.IntN(180_000))
		dur, completed := length, true
		if g.r.IntN(100) < 25 { // skip: mostly early
			dur, completed = int64(g.r.IntN(60_000)), false
		}
		if dur > 30_000 && g.r.IntN(100) < 10 { // a progress report first
			g.emit(user, created, terr, track, sess, dev, at, 30_000, false)
		}
		g.emit(user, created, terr, track, sess, dev, at, dur, completed)
		if g.r.IntN(100) < 2 { // client retry of the same report
			g.buf = append(g.buf, g.buf[len(g.buf)-1])
		}
		if g.r.IntN(100) < 3 { // device switch: a new session
			g.sessID++
			sess = g.id('s', g.sessID)
		}
		at = at.Add(time.Duration(dur+1500) * time.Millisecond)
	}
}

// specials adds the accounts the fraud rules exist for, a few per day.
func (g *gen) specials(h int) {
	at := g.start.Add(time.Duration(h) * time.Hour)
	switch h % 24 {
	case 3: // a bot: 600 short plays in one hour
		u := uint64(g.cfg.Users) + uint64(h)
		for i := range 600 {
			g.sessID++
			g.emit(g.id('u', u), g.start.AddDate(-1, 0, 0).UnixMilli(), "US", g.id('t', uint64(i%40)), g.id('s', g.sessID), g.id('d', u), at.Add(time.Duration(i)*6*time.Second), 31_000, true)
		}
	case 9: // a looping account: one track 150 times in a day
		u := uint64(g.cfg.Users) + uint64(h)
		for i := range 150 {
			g.emit(g.id('u', u), g.start.AddDate(-1, 0, 0).UnixMilli(), "BR", g.id('t', 7), g.id('s', uint64(h)<<20|uint64(i)), g.id('d', u), at.Add(time.Duration(i)*6*time.Minute), 200_000, true)
		}
	case 15: // a fresh account that never skips
		u := uint64(g.cfg.Users) + uint64(h)
		for i := range 80 {
			g.emit(g.id('u', u), at.UnixMilli(), "DE", g.id('t', uint64(i%5)), g.id('s', uint64(h)<<20|1), g.id('d', u), at.Add(time.Duration(i)*6*time.Minute), 230_000, true)
		}
	}
}
