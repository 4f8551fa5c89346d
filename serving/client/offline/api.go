package offline

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	music "github.com/openmusic/music"
)

// API is the server as the offline client calls it.
type API struct {
	HTTP  *http.Client
	Base  string // e.g. http://127.0.0.1:8080
	Token string // the listener's bearer token
}

// call sends one JSON request; a refusal becomes a *music.Error with the
// server's code and message.
func (a *API) call(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(a.Base, "/")+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+a.Token)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := a.httpClient().Do(req)
	if err != nil {
		return music.Errorf(music.EUNAVAILABLE, "%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	if res.StatusCode >= 300 {
		var eb struct {
			Error struct{ Code, Message string }
		}
		b, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
		if json.Unmarshal(b, &eb) == nil && eb.Error.Code != "" {
			return music.Errorf(eb.Error.Code, "%s %s: %s", method, path, eb.Error.Message)
		}
		return music.Errorf(music.EUNAVAILABLE, "%s %s: status %d", method, path, res.StatusCode)
	}
	if out == nil {
		return nil
	}
	if err := json.NewDecoder(res.Body).Decode(out); err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	return nil
}

func (a *API) httpClient() *http.Client {
	if a.HTTP != nil {
		return a.HTTP
	}
	return http.DefaultClient
}

// The server's JSON shapes the client reads.
type deviceJSON struct {
	DeviceID   string `json:"device_id"`
	LicenceKey string `json:"licence_key"`
}

type itemJSON struct {
	Kind       string `json:"kind"`
	TrackID    string `json:"track_id"`
	EpisodeID  string `json:"episode_id"`
	Title      string `json:"title"`
	Artist     string `json:"artist"`
	Rung       string `json:"rung"`
	URL        string `json:"url"`
	ObjectKey  string `json:"object_key"`
	Bytes      int64  `json:"bytes"`
	SHA256     string `json:"sha256"`
	WrappedKey string `json:"wrapped_key"`
	Licence    string `json:"licence"`
	ReplayGain struct {
		TrackGainDB float64 `json:"track_gain_db"`
		TrackPeak   float64 `json:"track_peak"`
	} `json:"replay_gain"`
}

type manifestJSON struct {
	Items       []itemJSON `json:"items"`
	Unavailable []string   `json:"unavailable"`
}

// changesJSON is a page of a playlist's change log; the client reads
// only what changes the tracks: an add's entries and a remove's entry IDs.
type changesJSON struct {
	Version int64 `json:"version"`
	Changes []struct {
		Version int64       `json:"version"`
		Kind    string      `json:"kind"`
		Entries []entryJSON `json:"entries"`
		Removed []string    `json:"removed"`
	} `json:"changes"`
	More bool `json:"more"`
}

type entryJSON struct {
	EntryID string `json:"entry_id"`
	TrackID string `json:"track_id"`
}

// entriesJSON is a page of a playlist's live entries.
type entriesJSON struct {
	Items   []entryJSON `json:"items"`
	Total   int         `json:"total"`
	Version int64       `json:"version"`
}

type renewItemJSON struct {
	Kind      string `json:"kind"`
	TrackID   string `json:"track_id"`
	EpisodeID string `json:"episode_id"`
	Status    string `json:"status"`
	Licence   string `json:"licence"`
	Reason    string `json:"reason"`
}

// item is what a manifest item or a renewal names.
func item(kind, trackID, episodeID string) music.OfflineItem {
	if kind == music.OfflineEpisode {
		return itemOf(kind, episodeID)
	}
	return itemOf(kind, trackID)
}
