package serving

import (
	"net/http"
	"strings"

	music "github.com/openmusic/music"
)

// TerritoryHeader lets an ops account look at the catalog as a listener
// in another territory would (ISO 3166-1 alpha-2). For every other role
// it is ignored: a listener's territory is their account country, which
// the licences are checked against.
const TerritoryHeader = "X-Territory"

// HandleCatalog routes the read-only catalog API, for authenticated users
// only (bearer tokens from users):
//
//	GET /api/v1/tracks/{id}
//	GET /api/v1/tracks?isrc=
//	GET /api/v1/albums/{id}     tracks in disc/track order
//	GET /api/v1/artists/{id}    with the albums the caller may see
//	GET /api/v1/browse/new-releases?offset=&limit=  albums, newest first (newreleases.go)
//
// Only published releases with a deal valid in the caller's territory at
// s.Now() are visible; anything else is 404, like an absent ID. A malformed
// X-Territory header is 400.
func (s *Server) HandleCatalog(cat music.Catalog, users music.UserStore) {
	s.Handle("GET /api/v1/tracks/{id}", s.authed(users, nil, func(w http.ResponseWriter, r *http.Request) {
		v, err := s.visibility(r)
		if err != nil {
			writeError(w, err)
			return
		}
		id := r.PathValue("id")
		t, err := s.tracks.get(v.Territory+"\x00"+id, v.At, func() (*music.Track, error) {
			return cat.Track(r.Context(), id, v)
		})
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, s.newTrackJSON(t, t.ReleaseID, t.ReleaseTitle, v.Territory))
	}))
	s.Handle("GET /api/v1/tracks", s.authed(users, nil, func(w http.ResponseWriter, r *http.Request) {
		isrc := r.URL.Query().Get("isrc")
		if isrc == "" {
			writeError(w, music.Errorf(music.EINVALID, "query parameter isrc is required"))
			return
		}
		v, err := s.visibility(r)
		if err != nil {
			writeError(w, err)
			return
		}
		t, err := s.tracks.get(v.Territory+"\x00isrc:"+isrc, v.At, func() (*music.Track, error) {
			return cat.TrackByISRC(r.Context(), isrc, v)
		})
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, s.newTrackJSON(t, t.ReleaseID, t.ReleaseTitle, v.Territory))
	}))
	s.Handle("GET /api/v1/albums/{id}", s.authed(users, nil, func(w http.ResponseWriter, r *http.Request) {
		v, err := s.visibility(r)
		if err != nil {
			writeError(w, err)
			return
		}
		id := r.PathValue("id")
		rel, err := s.albums.get(v.Territory+"\x00"+id, v.At, func() (*music.Release, error) {
			return cat.Release(r.Context(), id, v)
		})
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, s.newAlbumJSON(rel, v.Territory))
	}))
	s.Handle("GET /api/v1/artists/{id}", s.authed(users, nil, func(w http.ResponseWriter, r *http.Request) {
		v, err := s.visibility(r)
		if err != nil {
			writeError(w, err)
			return
		}
		id := r.PathValue("id")
		ar, err := s.artists.get(v.Territory+"\x00"+id, v.At, func() (artistPage, error) {
			a, rels, err := cat.Artist(r.Context(), id, v)
			return artistPage{a, rels}, err
		})
		if err != nil {
			writeError(w, err)
			return
		}
		a, rels := ar.artist, ar.releases
		out := artistJSON{ArtistID: a.ID, Name: a.Name, Albums: make([]albumSummaryJSON, 0, len(rels))}
		// The count is extra: with the catalog DB down the cached artist
		// is still served, without it.
		out.FollowerCount, _ = s.followersOf(r.Context(), music.FollowArtist, a.ID)
		for i := range rels {
			out.Albums = append(out.Albums, newAlbumSummary(&rels[i]))
		}
		writeJSON(w, http.StatusOK, out)
	}))
	s.Handle("GET /api/v1/browse/new-releases", s.authed(users, nil, s.handleNewReleases(cat)))
}

// artistPage is a cached artist with the releases the caller may see.
type artistPage struct {
	artist   *music.Artist
	releases []music.Release
}

// visibility is the listener view of the request's caller: their
// account country, or for ops the territory header if given (the catalog
// validates it).
func (s *Server) visibility(r *http.Request) (music.Visibility, error) {
	u := UserFrom(r.Context())
	terr := ""
	if u != nil {
		terr = u.Country
		if h := strings.TrimSpace(r.Header.Get(TerritoryHeader)); h != "" && u.Role == music.RoleOps {
			terr = h
		}
	}
	if terr == "" {
		// Never fall back to the ops view, which sees everything.
		return music.Visibility{}, music.Errorf(music.EINVALID, "no territory: the account has no country")
	}
	return music.Visibility{Territory: strings.ToUpper(terr), At: s.Now()}, nil
}

// refJSON names a linked artist or album.
type refJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// creditJSON is one artist credit with its DDEX role.
type creditJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Role string `json:"role"`
}

// replayGainJSON carries ReplayGain 2.0 values: gains in dB, peaks linear.
type replayGainJSON struct {
	TrackGainDB float64 `json:"track_gain_db"`
	TrackPeak   float64 `json:"track_peak"`
	AlbumGainDB float64 `json:"album_gain_db"`
	AlbumPeak   float64 `json:"album_peak"`
}

// trackJSON is a track as listeners see it.
//
// StreamURLs and PreviewURL point at /audio/{track_id}/{rung}.ogg and
// /audio/{track_id}/preview.mp3 (the renditions' blob keys), signed with an expiry and prefixed with
// the CDN host when the server has a Signer (see StreamSigner).
type trackJSON struct {
	TrackID      string         `json:"track_id"`
	ISRC         string         `json:"isrc"`
	Title        string         `json:"title"`
	Version      string         `json:"version,omitempty"`
	Artist       refJSON        `json:"artist"`
	Artists      []creditJSON   `json:"artists"`
	Album        refJSON        `json:"album"`
	DiscNumber   int            `json:"disc_number"`
	TrackNumber  int            `json:"track_number"`
	DurationMS   int64          `json:"duration_ms"`
	Explicit     bool           `json:"explicit"`
	Genre        string         `json:"genre,omitempty"`
	ReplayGain   replayGainJSON `json:"replay_gain"`
	LoudnessLUFS float64        `json:"loudness_lufs"`
	// AudioFeatures are absent until measured (ingest or the backfill).
	AudioFeatures *music.AudioFeatures `json:"audio_features,omitempty"`
	StreamURLs    map[string]string    `json:"stream_urls"`
	PreviewURL    string               `json:"preview_url,omitempty"`
}

// albumSummaryJSON is an album as listed on an artist page.
type albumSummaryJSON struct {
	AlbumID     string  `json:"album_id"`
	Name        string  `json:"name"`
	ReleaseDate string  `json:"release_date,omitempty"`
	Label       string  `json:"label,omitempty"`
	Genre       string  `json:"genre,omitempty"`
	UPC         string  `json:"upc,omitempty"`
	Artist      refJSON `json:"artist"`
}

// albumJSON is an album with its tracks in disc/track order.
type albumJSON struct {
	albumSummaryJSON
	PLine  string      `json:"p_line,omitempty"`
	CLine  string      `json:"c_line,omitempty"`
	Tracks []trackJSON `json:"tracks"`
}

// artistJSON is an artist with the albums the caller may see, newest first.
type artistJSON struct {
	ArtistID string             `json:"artist_id"`
	Name     string             `json:"name"`
	Albums   []albumSummaryJSON `json:"albums"`
	// FollowerCount is fresh, not cached with the artist; absent when the
	// server has no follows.
	FollowerCount *int `json:"follower_count,omitempty"`
}

// newTrackJSON shows t with stream URLs for a listener in territory.
func (s *Server) newTrackJSON(t *music.Track, albumID, albumName, territory string) trackJSON {
	out := trackJSON{
		TrackID: t.ID, ISRC: t.ISRC, Title: t.Title, Version: t.Version,
		Artist: mainArtist(t.Artists), Artists: credits(t.Artists),
		Album:      refJSON{ID: albumID, Name: albumName},
		DiscNumber: t.DiscNumber, TrackNumber: t.TrackNumber,
		DurationMS: t.Duration.Milliseconds(), Explicit: t.Explicit, Genre: t.Genre,
		ReplayGain: replayGainJSON{
			TrackGainDB: t.ReplayGain.TrackGain, TrackPeak: t.ReplayGain.TrackPeak,
			AlbumGainDB: t.ReplayGain.AlbumGain, AlbumPeak: t.ReplayGain.AlbumPeak,
		},
		LoudnessLUFS:  t.LoudnessLUFS,
		AudioFeatures: t.AudioFeatures,
		StreamURLs:    map[string]string{},
	}
	// Only rungs that exist get a URL, so a client never picks a 404. The
	// URL follows the rendition's blob key: a track that dedup linked to
	// the same recording streams the original's files.
	for _, rd := range t.Renditions {
		u := s.streamURL("/"+rd.BlobKey, territory)
		if rd.Rung == music.RungPreview {
			out.PreviewURL = u
		} else {
			out.StreamURLs[rd.Rung] = u
		}
	}
	return out
}

func newAlbumSummary(r *music.Release) albumSummaryJSON {
	return albumSummaryJSON{
		AlbumID: r.ID, Name: r.Title, ReleaseDate: r.ReleaseDate, Label: r.Label,
		Genre: r.Genre, UPC: r.UPC, Artist: mainArtist(r.Artists),
	}
}

// streamURL signs path for territory when the server has a Signer.
func (s *Server) streamURL(path, territory string) string {
	if s.Signer == nil {
		return path
	}
	return s.Signer.SignFor(path, territory)
}

func (s *Server) newAlbumJSON(r *music.Release, territory string) albumJSON {
	out := albumJSON{albumSummaryJSON: newAlbumSummary(r), PLine: r.PLine, CLine: r.CLine,
		Tracks: make([]trackJSON, 0, len(r.Tracks))}
	for i := range r.Tracks {
		out.Tracks = append(out.Tracks, s.newTrackJSON(&r.Tracks[i], r.ID, r.Title, territory))
	}
	return out
}

// mainArtist is the first MainArtist credit, or the first credit at all:
// the single name a player shows.
func mainArtist(cs []music.ArtistCredit) refJSON {
	for _, c := range cs {
		if c.Role == "MainArtist" {
			return refJSON{ID: c.ArtistID, Name: c.Name}
		}
	}
	if len(cs) > 0 {
		return refJSON{ID: cs[0].ArtistID, Name: cs[0].Name}
	}
	return refJSON{}
}

func credits(cs []music.ArtistCredit) []creditJSON {
	out := make([]creditJSON, 0, len(cs))
	for _, c := range cs {
		out = append(out, creditJSON{ID: c.ArtistID, Name: c.Name, Role: c.Role})
	}
	return out
}
