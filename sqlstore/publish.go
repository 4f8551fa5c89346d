package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strings"

	music "github.com/openmusic/music"
)

// PutRelease writes a whole release in one transaction. See music.Catalog.
func (s *Store) PutRelease(ctx context.Context, p music.Publication) error {
	// Work on copies: validation normalizes in place.
	p.Tracks = slices.Clone(p.Tracks)
	if p.Deals != nil {
		p.Deals = slices.Clone(p.Deals)
	}
	if err := validatePublication(&p); err != nil {
		return err
	}
	r := p.Release
	now := s.now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if p.Owner != "" {
			if err := s.claim(ctx, tx, p); err != nil {
				return err
			}
		}
		// Artists first, in ID order, so concurrent publishes sharing
		// artists lock them in the same order and cannot deadlock.
		credits := slices.Clone(r.Artists)
		for _, t := range p.Tracks {
			credits = append(credits, t.Artists...)
		}
		if err := s.upsertArtists(ctx, tx, credits, now); err != nil {
			return err
		}
		if err := s.upsertRelease(ctx, tx, r, p.Publish, now); err != nil {
			return err
		}
		if err := s.replaceCredits(ctx, tx, "release_artists", "release_id", r.ID, r.Artists); err != nil {
			return err
		}
		for _, t := range p.Tracks {
			if err := s.upsertTrack(ctx, tx, t, now); err != nil {
				return err
			}
			if err := s.replaceCredits(ctx, tx, "track_artists", "track_id", t.ID, t.Artists); err != nil {
				return err
			}
		}
		for _, rd := range p.Renditions {
			if err := s.upsertRendition(ctx, tx, rd); err != nil {
				return err
			}
		}
		if p.Deals != nil {
			if err := s.replaceDeals(ctx, tx, r.ID, p.Deals); err != nil {
				return err
			}
		}
		for _, f := range p.Fingerprints {
			if err := s.upsertFingerprint(ctx, tx, f); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		if isForeignKey(err) {
			return music.Errorf(music.EINVALID, "release %q: refers to an unknown artist or track: %s", r.ID, oneLine(err))
		}
		return fmt.Errorf("put release %s: %w", r.ID, err)
	}
	return nil
}

// upsertArtists writes every credited artist that carries a name.
func (s *Store) upsertArtists(ctx context.Context, tx *sql.Tx, credits []music.ArtistCredit, now int64) error {
	names := map[string]string{}
	for _, c := range credits {
		if c.Name != "" {
			names[c.ArtistID] = c.Name
		}
	}
	ids := make([]string, 0, len(names))
	for id := range names {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if _, err := s.exec(ctx, tx, `INSERT INTO artists (id, name, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at`,
			id, names[id], now); err != nil {
			return fmt.Errorf("artist %s: %w", id, err)
		}
	}
	return nil
}

// upsertRelease writes the release row. Publishing sets the state;
// otherwise a new release is pending and an existing one keeps its state.
func (s *Store) upsertRelease(ctx context.Context, tx *sql.Tx, r music.Release, publish bool, now int64) error {
	status, publishedAt := music.ReleasePending, int64(0)
	if publish {
		status, publishedAt = music.ReleasePublished, now
	}
	_, err := s.exec(ctx, tx, `INSERT INTO releases (id, upc, title, label, release_date, genre, pline, cline,
			cover_key, sender, message_id, status, updated_at, published_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET upc = excluded.upc, title = excluded.title, label = excluded.label,
			release_date = excluded.release_date, genre = excluded.genre, pline = excluded.pline,
			cline = excluded.cline, cover_key = excluded.cover_key, sender = excluded.sender,
			message_id = excluded.message_id, updated_at = excluded.updated_at,
			status = CASE WHEN excluded.status = 'published' THEN 'published' ELSE releases.status END,
			published_at = CASE WHEN releases.published_at = 0 THEN excluded.published_at ELSE releases.published_at END`,
		r.ID, r.UPC, r.Title, r.Label, r.ReleaseDate, r.Genre, r.PLine, r.CLine,
		r.CoverKey, r.Sender, r.MessageID, status, now, publishedAt)
	if err != nil {
		return fmt.Errorf("release row: %w", err)
	}
	return nil
}

// replaceCredits replaces the artist credits of one release or track.
func (s *Store) replaceCredits(ctx context.Context, tx *sql.Tx, table, key, id string, credits []music.ArtistCredit) error {
	if _, err := s.exec(ctx, tx, "DELETE FROM "+table+" WHERE "+key+" = ?", id); err != nil {
		return fmt.Errorf("%s of %s: %w", table, id, err)
	}
	for i, c := range credits {
		if _, err := s.exec(ctx, tx, "INSERT INTO "+table+" ("+key+", position, artist_id, role) VALUES (?, ?, ?, ?)",
			id, i, c.ArtistID, c.Role); err != nil {
			return fmt.Errorf("%s of %s: artist %s: %w", table, id, c.ArtistID, err)
		}
	}
	return nil
}

// upsertTrack writes one track row. An ISRC already held by another track
// is ECONFLICT. Popularity is the platform's, so an update keeps it, and
// so do stored audio features when the write carries none.
func (s *Store) upsertTrack(ctx context.Context, tx *sql.Tx, t music.Track, now int64) error {
	var other string
	err := s.queryRow(ctx, tx, "SELECT id FROM tracks WHERE isrc = ? AND id <> ?", t.ISRC, t.ID).Scan(&other)
	switch {
	case err == nil:
		return music.Errorf(music.ECONFLICT, "ISRC %s of track %s already belongs to track %s", t.ISRC, t.ID, other)
	case err != sql.ErrNoRows:
		return fmt.Errorf("track %s: %w", t.ID, err)
	}
	_, err = s.exec(ctx, tx, `INSERT INTO tracks (id, release_id, isrc, title, version, disc_number, track_number,
			duration_ms, genre, explicit, pline, preview_start_ms, popularity,
			rg_track_gain, rg_track_peak, rg_album_gain, rg_album_peak, loudness_lufs, loudness_range,
			master_key, master_sha256, dedup_decision, dedup_matched_track_id, dedup_score, audio_features, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET release_id = excluded.release_id, isrc = excluded.isrc,
			title = excluded.title, version = excluded.version, disc_number = excluded.disc_number,
			track_number = excluded.track_number, duration_ms = excluded.duration_ms, genre = excluded.genre,
			explicit = excluded.explicit, pline = excluded.pline, preview_start_ms = excluded.preview_start_ms,
			rg_track_gain = excluded.rg_track_gain, rg_track_peak = excluded.rg_track_peak,
			rg_album_gain = excluded.rg_album_gain, rg_album_peak = excluded.rg_album_peak,
			loudness_lufs = excluded.loudness_lufs, loudness_range = excluded.loudness_range,
			master_key = excluded.master_key, master_sha256 = excluded.master_sha256,
			dedup_decision = excluded.dedup_decision, dedup_matched_track_id = excluded.dedup_matched_track_id,
			dedup_score = excluded.dedup_score, updated_at = excluded.updated_at,
			audio_features = CASE WHEN excluded.audio_features = '' THEN tracks.audio_features ELSE excluded.audio_features END`,
		t.ID, t.ReleaseID, t.ISRC, t.Title, t.Version, t.DiscNumber, t.TrackNumber,
		t.Duration.Milliseconds(), t.Genre, boolInt(t.Explicit), t.PLine, t.PreviewStart.Milliseconds(), t.Popularity,
		t.ReplayGain.TrackGain, t.ReplayGain.TrackPeak, t.ReplayGain.AlbumGain, t.ReplayGain.AlbumPeak,
		t.LoudnessLUFS, t.LoudnessRange, t.MasterKey, t.MasterSHA256,
		t.Dedup.Decision, t.Dedup.MatchedTrackID, t.Dedup.Score, encodeFeatures(t.AudioFeatures), now)
	if isUnique(err) {
		return music.Errorf(music.ECONFLICT, "track %s: ISRC %s is taken by another track", t.ID, t.ISRC)
	}
	if err != nil {
		return fmt.Errorf("track %s: %w", t.ID, err)
	}
	return nil
}

// upsertRendition writes one rung of a track.
func (s *Store) upsertRendition(ctx context.Context, tx *sql.Tx, r music.Rendition) error {
	_, err := s.exec(ctx, tx, `INSERT INTO renditions (track_id, rung, blob_key, bytes, sha256, codec, bitrate,
			sample_rate, channels, samples)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (track_id, rung) DO UPDATE SET blob_key = excluded.blob_key, bytes = excluded.bytes,
			sha256 = excluded.sha256, codec = excluded.codec, bitrate = excluded.bitrate,
			sample_rate = excluded.sample_rate, channels = excluded.channels, samples = excluded.samples`,
		r.TrackID, r.Rung, r.BlobKey, r.Bytes, r.SHA256, r.Codec, r.Bitrate, r.SampleRate, r.Channels, r.Samples)
	if err != nil {
		return fmt.Errorf("rendition %s/%s: %w", r.TrackID, r.Rung, err)
	}
	return nil
}

// replaceDeals replaces every deal of a release.
func (s *Store) replaceDeals(ctx context.Context, tx *sql.Tx, releaseID string, deals []music.Deal) error {
	for _, q := range []string{"DELETE FROM deal_territories WHERE release_id = ?", "DELETE FROM deals WHERE release_id = ?"} {
		if _, err := s.exec(ctx, tx, q, releaseID); err != nil {
			return fmt.Errorf("deals of %s: %w", releaseID, err)
		}
	}
	for i, d := range deals {
		var end any // NULL: open-ended
		if !d.End.IsZero() {
			end = d.End.UnixMilli()
		}
		if _, err := s.exec(ctx, tx, `INSERT INTO deals (release_id, seq, start_at, end_at, commercial_model, use_types)
			VALUES (?, ?, ?, ?, ?, ?)`,
			releaseID, i, ms(d.Start), end, d.CommercialModel, strings.Join(d.UseTypes, ",")); err != nil {
			return fmt.Errorf("deal %d of %s: %w", i, releaseID, err)
		}
		for excluded, list := range [][]string{d.Territories, d.ExcludedTerritories} {
			for _, t := range list {
				if _, err := s.exec(ctx, tx, `INSERT INTO deal_territories (release_id, seq, territory, excluded)
					VALUES (?, ?, ?, ?)`, releaseID, i, t, excluded); err != nil {
					return fmt.Errorf("deal %d of %s: territory %s: %w", i, releaseID, t, err)
				}
			}
		}
	}
	return nil
}

// upsertFingerprint writes a track's fingerprint for one algorithm.
func (s *Store) upsertFingerprint(ctx context.Context, tx *sql.Tx, f music.Fingerprint) error {
	_, err := s.exec(ctx, tx, `INSERT INTO fingerprints (track_id, algorithm, fingerprint, pcm_sha256, duration_ms)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (track_id, algorithm) DO UPDATE SET fingerprint = excluded.fingerprint,
			pcm_sha256 = excluded.pcm_sha256, duration_ms = excluded.duration_ms`,
		f.TrackID, f.Algorithm, f.Fingerprint, f.PCMSHA256, f.Duration.Milliseconds())
	if err != nil {
		return fmt.Errorf("fingerprint %s/%s: %w", f.TrackID, f.Algorithm, err)
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
