package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	music "github.com/openmusic/music"
)

// trackCols selects a track (alias t) with its release's title and state
// (alias r), in the order scanTrack reads them.
const trackCols = `t.id, t.release_id, t.isrc, t.title, t.version, t.disc_number, t.track_number,
	t.duration_ms, t.genre, t.explicit, t.pline, t.preview_start_ms, t.popularity,
	t.rg_track_gain, t.rg_track_peak, t.rg_album_gain, t.rg_album_peak, t.loudness_lufs, t.loudness_range,
	t.master_key, t.master_sha256, t.dedup_decision, t.dedup_matched_track_id, t.dedup_score,
	t.audio_features, r.title, r.status`

func scanTrack(sc interface{ Scan(...any) error }) (music.Track, error) {
	var t music.Track
	var dur, preview int64
	var explicit int
	var features string
	err := sc.Scan(&t.ID, &t.ReleaseID, &t.ISRC, &t.Title, &t.Version, &t.DiscNumber, &t.TrackNumber,
		&dur, &t.Genre, &explicit, &t.PLine, &preview, &t.Popularity,
		&t.ReplayGain.TrackGain, &t.ReplayGain.TrackPeak, &t.ReplayGain.AlbumGain, &t.ReplayGain.AlbumPeak,
		&t.LoudnessLUFS, &t.LoudnessRange, &t.MasterKey, &t.MasterSHA256,
		&t.Dedup.Decision, &t.Dedup.MatchedTrackID, &t.Dedup.Score, &features, &t.ReleaseTitle, &t.ReleaseStatus)
	if err == nil {
		t.AudioFeatures, err = decodeFeatures(t.ID, features)
	}
	t.Duration = time.Duration(dur) * time.Millisecond
	t.PreviewStart = time.Duration(preview) * time.Millisecond
	t.Explicit = explicit != 0
	return t, err
}

// queryTracks runs a track query and scans every row.
func (s *Store) queryTracks(ctx context.Context, query string, args ...any) ([]music.Track, error) {
	rows, err := s.query(ctx, s.db, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []music.Track
	for rows.Next() {
		t, err := scanTrack(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Track returns one track. See music.Catalog.
func (s *Store) Track(ctx context.Context, id string, v music.Visibility) (*music.Track, error) {
	return s.oneTrack(ctx, "t.id = ?", id, v)
}

// TracksByID returns those of ids v may see, a few queries per
// visibleIDsPerQuery ids. See music.Catalog.
func (s *Store) TracksByID(ctx context.Context, ids []string, v music.Visibility) (map[string]*music.Track, error) {
	out := make(map[string]*music.Track, len(ids))
	for len(ids) > 0 {
		n := min(len(ids), visibleIDsPerQuery)
		if err := s.tracksByID(ctx, ids[:n], v, out); err != nil {
			return nil, err
		}
		ids = ids[n:]
	}
	return out, nil
}

// tracksByID adds to out those of ids v may see: the tracks, then their
// credits and renditions, a query each.
func (s *Store) tracksByID(ctx context.Context, ids []string, v music.Visibility, out map[string]*music.Track) error {
	vis, vargs, err := s.visibleClause(v)
	if err != nil {
		return err
	}
	ts, err := s.queryTracks(ctx, "SELECT "+trackCols+" FROM tracks t JOIN releases r ON r.id = t.release_id WHERE t.id IN "+
		placeholders(len(ids))+" AND "+vis, append(anySlice(ids), vargs...)...)
	if err != nil || len(ts) == 0 {
		return err
	}
	found := make([]string, len(ts))
	for i, t := range ts {
		found[i] = t.ID
	}
	credits, err := s.trackCredits(ctx, "ta.track_id IN "+placeholders(len(found)), anySlice(found)...)
	if err != nil {
		return err
	}
	rends, err := s.renditions(ctx, "track_id IN "+placeholders(len(found)), anySlice(found)...)
	if err != nil {
		return err
	}
	for i := range ts {
		t := &ts[i]
		t.Artists, t.Renditions = credits[t.ID], rends[t.ID]
		if err := s.borrowRenditions(ctx, t); err != nil {
			return err
		}
		out[t.ID] = t
	}
	return nil
}

// TrackByISRC returns the track recorded under isrc. See music.Catalog.
func (s *Store) TrackByISRC(ctx context.Context, isrc string, v music.Visibility) (*music.Track, error) {
	return s.oneTrack(ctx, "t.isrc = ?", isrc, v)
}

func (s *Store) oneTrack(ctx context.Context, cond, key string, v music.Visibility) (*music.Track, error) {
	vis, vargs, err := s.visibleClause(v)
	if err != nil {
		return nil, err
	}
	ts, err := s.queryTracks(ctx, "SELECT "+trackCols+" FROM tracks t JOIN releases r ON r.id = t.release_id WHERE "+
		cond+" AND "+vis, append([]any{key}, vargs...)...)
	if err != nil {
		return nil, fmt.Errorf("track %s: %w", key, err)
	}
	if len(ts) == 0 {
		return nil, music.Errorf(music.ENOTFOUND, "track %s not found", key)
	}
	t := &ts[0]
	credits, err := s.trackCredits(ctx, "ta.track_id = ?", t.ID)
	if err != nil {
		return nil, err
	}
	rends, err := s.renditions(ctx, "track_id = ?", t.ID)
	if err != nil {
		return nil, err
	}
	t.Artists, t.Renditions = credits[t.ID], rends[t.ID]
	if err := s.borrowRenditions(ctx, t); err != nil {
		return nil, err
	}
	return t, nil
}

// borrowRenditions gives a same-recording duplicate stored without audio
// of its own the renditions of the track it matched, so that dedup stores
// one copy and both tracks play.
func (s *Store) borrowRenditions(ctx context.Context, t *music.Track) error {
	if len(t.Renditions) > 0 || t.Dedup.Decision != music.DedupSameRecording || t.Dedup.MatchedTrackID == "" {
		return nil
	}
	rends, err := s.renditions(ctx, "track_id = ?", t.Dedup.MatchedTrackID)
	if err != nil {
		return err
	}
	t.Renditions = rends[t.Dedup.MatchedTrackID]
	return nil
}

// trackCredits loads the credits of the tracks matching cond (on track_artists ta).
func (s *Store) trackCredits(ctx context.Context, cond string, args ...any) (map[string][]music.ArtistCredit, error) {
	return s.credits(ctx, `SELECT ta.track_id, ta.artist_id, a.name, ta.role FROM track_artists ta
		JOIN artists a ON a.id = ta.artist_id WHERE `+cond+` ORDER BY ta.track_id, ta.position`, args...)
}

// credits runs a (owner, artist_id, name, role) query, grouping by owner.
func (s *Store) credits(ctx context.Context, query string, args ...any) (map[string][]music.ArtistCredit, error) {
	rows, err := s.query(ctx, s.db, query, args...)
	if err != nil {
		return nil, fmt.Errorf("credits: %w", err)
	}
	defer rows.Close()
	out := map[string][]music.ArtistCredit{}
	for rows.Next() {
		var owner string
		var c music.ArtistCredit
		if err := rows.Scan(&owner, &c.ArtistID, &c.Name, &c.Role); err != nil {
			return nil, err
		}
		out[owner] = append(out[owner], c)
	}
	return out, rows.Err()
}

// renditions loads the renditions matching cond, per track in ladder order.
func (s *Store) renditions(ctx context.Context, cond string, args ...any) (map[string][]music.Rendition, error) {
	rows, err := s.query(ctx, s.db, `SELECT track_id, rung, blob_key, bytes, sha256, codec, bitrate, sample_rate,
		channels, samples FROM renditions WHERE `+cond, args...)
	if err != nil {
		return nil, fmt.Errorf("renditions: %w", err)
	}
	defer rows.Close()
	out := map[string][]music.Rendition{}
	for rows.Next() {
		var r music.Rendition
		if err := rows.Scan(&r.TrackID, &r.Rung, &r.BlobKey, &r.Bytes, &r.SHA256, &r.Codec, &r.Bitrate,
			&r.SampleRate, &r.Channels, &r.Samples); err != nil {
			return nil, err
		}
		out[r.TrackID] = append(out[r.TrackID], r)
	}
	for _, rs := range out {
		slices.SortFunc(rs, func(a, b music.Rendition) int {
			return slices.Index(music.Rungs, a.Rung) - slices.Index(music.Rungs, b.Rung)
		})
	}
	return out, rows.Err()
}

// deals loads a release's deals in delivery order.
func (s *Store) deals(ctx context.Context, releaseID string) ([]music.Deal, error) {
	rows, err := s.query(ctx, s.db, `SELECT d.seq, d.start_at, d.end_at, d.commercial_model, d.use_types,
			dt.territory, dt.excluded
		FROM deals d LEFT JOIN deal_territories dt ON dt.release_id = d.release_id AND dt.seq = d.seq
		WHERE d.release_id = ? ORDER BY d.seq, dt.excluded, dt.territory`, releaseID)
	if err != nil {
		return nil, fmt.Errorf("deals of %s: %w", releaseID, err)
	}
	defer rows.Close()
	var out []music.Deal
	last := -1
	for rows.Next() {
		var seq int
		var start int64
		var end sql.NullInt64
		var model, uses string
		var terr sql.NullString
		var excluded sql.NullInt64
		if err := rows.Scan(&seq, &start, &end, &model, &uses, &terr, &excluded); err != nil {
			return nil, err
		}
		if seq != last {
			d := music.Deal{Start: fromMS(start), CommercialModel: model}
			if end.Valid {
				d.End = fromMS(end.Int64)
			}
			if uses != "" {
				d.UseTypes = strings.Split(uses, ",")
			}
			out = append(out, d)
			last = seq
		}
		d := &out[len(out)-1]
		if terr.Valid && excluded.Int64 != 0 {
			d.ExcludedTerritories = append(d.ExcludedTerritories, terr.String)
		} else if terr.Valid {
			d.Territories = append(d.Territories, terr.String)
		}
	}
	return out, rows.Err()
}
