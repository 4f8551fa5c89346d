package sqlstore

import (
	music "github.com/openmusic/music"
)

// isOpsView reports whether v is the ops view that bypasses every check
// (music.Visibility's zero value).
func isOpsView(v music.Visibility) bool { return v.Territory == "" && v.At.IsZero() }

// visibleClause returns a condition on the releases row aliased r that is
// true when v may see the release, with its arguments. The ops view sees
// everything. A listener sees a published release that has a deal valid
// at v.At covering v.Territory (directly or through Worldwide) without
// excluding it.
func (s *Store) visibleClause(v music.Visibility) (string, []any, error) {
	if isOpsView(v) {
		return "1 = 1", nil, nil
	}
	terr, err := normalizeTerritory(v.Territory)
	if err != nil || terr == music.Worldwide {
		return "", nil, music.Errorf(music.EINVALID, "visibility: territory %q is not an ISO 3166-1 alpha-2 code", v.Territory)
	}
	at := v.At
	if at.IsZero() {
		at = s.Now()
	}
	atMS := at.UnixMilli()
	return `r.status = 'published' AND EXISTS (
		SELECT 1 FROM deals d JOIN deal_territories dt ON dt.release_id = d.release_id AND dt.seq = d.seq
		WHERE d.release_id = r.id AND dt.excluded = 0 AND (dt.territory = ? OR dt.territory = 'Worldwide')
			AND d.start_at <= ? AND (d.end_at IS NULL OR d.end_at > ?)
			AND NOT EXISTS (SELECT 1 FROM deal_territories x
				WHERE x.release_id = d.release_id AND x.seq = d.seq AND x.excluded = 1 AND x.territory = ?))`,
		[]any{terr, atMS, atMS, terr}, nil
}
