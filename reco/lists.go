package reco

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
)

// List names, as the cache keys and the API spell them.
const (
	ListDiscoverWeekly = "discover_weekly"
	ListDailyMix       = "daily_mix"
	ListReleaseRadar   = "release_radar"
)

// ListNames are every list, in the order a batch builds them.
var ListNames = []string{ListDiscoverWeekly, ListDailyMix, ListReleaseRadar}

// Sizes and rules of the lists.
const (
	DiscoverWeeklySize = 30
	ExploreSlots       = 3  // of Discover Weekly's 30
	MaxMixes           = 6  // Daily Mixes per user
	MixSize            = 20 // tracks per mix
	ReleaseRadarSize   = 30
	RadarDays          = 14 // a release is new for this long
	FreshPlays         = 50 // fewer plays than this: an exploration candidate
	ArtistsPerWindow   = 2  // at most this many tracks per artist …
	ArtistWindow       = 10 // … in any run of this many
)

// Mix is one Daily Mix: a taste cluster of the user.
type Mix struct {
	Name  string
	Items []int
}

// Lists are one user's recommendations.
type Lists struct {
	DiscoverWeekly []int
	DailyMixes     []Mix
	ReleaseRadar   []int
}

func (m *Model) artistOf(i int) string {
	if len(m.Items[i].Artists) == 0 {
		return ""
	}
	return m.Items[i].Artists[0]
}

// DiscoverWeekly is DiscoverWeeklySize tracks the user has no signal for
// (never played, skipped or saved): the blend's best, artists spread, with
// ExploreSlots of them given by Thompson sampling to little-played tracks
// from the user's wider candidate list, placed at every tenth slot.
func (m *Model) DiscoverWeekly(u *User, x []float64, r *rand.Rand) []int {
	cands := m.Candidates(u, x, SourceAll, 10*DiscoverWeeklySize)
	ranked := make([]int, 0, len(cands))
	for _, c := range cands {
		ranked = append(ranked, c.Item)
	}
	main := SpreadArtists(ranked, m.artistOf, ArtistsPerWindow, ArtistWindow, DiscoverWeeklySize-ExploreSlots)
	inMain := map[int]bool{}
	for _, i := range main {
		inMain[i] = true
	}
	var arms []Arm
	for _, i := range ranked {
		if it := m.Items[i]; it.Plays < FreshPlays && !inMain[i] {
			arms = append(arms, Arm{Item: i, Plays: it.Plays, Completions: it.Completions})
		}
	}
	explore := Explore(arms, ExploreSlots, r)
	merged := make([]int, 0, len(ranked)+len(explore))
	ei := 0
	for _, i := range main {
		if len(merged)%ArtistWindow == ArtistWindow-1 && ei < len(explore) {
			merged = append(merged, explore[ei])
			ei++
		}
		merged = append(merged, i)
	}
	merged = append(merged, explore[ei:]...)
	// The rest of the ranking fills whatever the artist rule drops.
	taken := map[int]bool{}
	for _, i := range merged {
		taken[i] = true
	}
	for _, i := range ranked {
		if !taken[i] {
			merged = append(merged, i)
		}
	}
	return SpreadArtists(merged, m.artistOf, ArtistsPerWindow, ArtistWindow, DiscoverWeeklySize)
}

// DailyMixes clusters the user's liked tracks in ALS space (k-means, up
// to MaxMixes clusters of at least 3 tracks) and fills each mix with the
// cluster's familiar tracks and new ones near them, alternating.
func (m *Model) DailyMixes(u *User) []Mix {
	liked := u.liked(200)
	k := min(MaxMixes, len(liked)/3)
	if k == 0 || m.Factors.N == 0 {
		return nil
	}
	clusters := kmeans(&m.Factors, liked, k, 10)
	var mixes []Mix
	for ci, members := range clusters {
		if len(members) == 0 {
			continue
		}
		familiar := make([]int, 0, len(members))
		genres := map[string]int{}
		for _, s := range members {
			familiar = append(familiar, s.Item)
			genres[m.Items[s.Item].Genre]++
		}
		var fresh []int
		for _, s := range spread(mergeNeighbours(m.CoOc, m.W2V), members, MixSize, u.has) {
			fresh = append(fresh, s.Item)
		}
		items := interleave(familiar, fresh, MixSize)
		mixes = append(mixes, Mix{Name: mixName(ci+1, genres), Items: SpreadArtists(items, m.artistOf, 3, ArtistWindow, MixSize)})
	}
	return mixes
}

func mixName(n int, genres map[string]int) string {
	best, bestN := "", 0
	for g, c := range genres {
		if g != "" && (c > bestN || c == bestN && g < best) {
			best, bestN = g, c
		}
	}
	if best == "" {
		return fmt.Sprintf("Daily Mix %d", n)
	}
	return fmt.Sprintf("Daily Mix %d: %s", n, best)
}

// interleave takes two familiar tracks, then three new, and so on.
func interleave(familiar, fresh []int, n int) []int {
	out := make([]int, 0, n)
	for fi, ni := 0, 0; len(out) < n && (fi < len(familiar) || ni < len(fresh)); {
		for range 2 {
			if fi < len(familiar) && len(out) < n {
				out = append(out, familiar[fi])
				fi++
			}
		}
		for range 3 {
			if ni < len(fresh) && len(out) < n {
				out = append(out, fresh[ni])
				ni++
			}
		}
	}
	return out
}

func mergeNeighbours(a, b Neighbours) Neighbours {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	out := make(Neighbours, max(len(a), len(b)))
	for i := range out {
		if i < len(a) {
			out[i] = append(out[i], a[i]...)
		}
		if i < len(b) {
			out[i] = append(out[i], b[i]...)
		}
	}
	return out
}

// ReleaseRadar is what artists the user likes (by their signals) or
// follows released in the last RadarDays days, by affinity to the artist,
// then popularity; nothing the user already has a signal for.
func (m *Model) ReleaseRadar(u *User) []int {
	affinity := map[string]float64{}
	for n, it := range u.Items {
		if u.R[n] > 0 {
			for _, a := range m.Items[it].Artists {
				affinity[a] += float64(u.R[n])
			}
		}
	}
	for _, a := range u.Followed {
		affinity[a] += 10
	}
	type cand struct {
		item int
		aff  float64
	}
	var cs []cand
	for i, it := range m.Items {
		if it.Released == 0 || it.Released > m.AsOf || m.AsOf-it.Released >= RadarDays || u.has(i) {
			continue
		}
		var aff float64
		for _, a := range it.Artists {
			aff = max(aff, affinity[a])
		}
		if aff > 0 {
			cs = append(cs, cand{i, aff})
		}
	}
	slices.SortFunc(cs, func(a, b cand) int {
		return cmp.Or(cmp.Compare(b.aff, a.aff), cmp.Compare(m.Items[b.item].Popularity, m.Items[a.item].Popularity), cmp.Compare(a.item, b.item))
	})
	out := make([]int, 0, len(cs))
	for _, c := range cs {
		out = append(out, c.item)
	}
	return SpreadArtists(out, m.artistOf, 3, ArtistWindow, ReleaseRadarSize)
}

// Build makes all of a user's lists.
func (m *Model) Build(u *User, x []float64, r *rand.Rand) Lists {
	return Lists{DiscoverWeekly: m.DiscoverWeekly(u, x, r), DailyMixes: m.DailyMixes(u), ReleaseRadar: m.ReleaseRadar(u)}
}
