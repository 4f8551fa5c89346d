package search

import (
	"context"
	"fmt"

	music "github.com/openmusic/music"
)

// podcastPage is how many shows or episodes PodcastDocs reads per call.
const podcastPage = 500

// ShowDoc is a show as a search document. Shows are never charted, so
// popularity stays 0 and ranking is by text alone.
func ShowDoc(sh *music.Show) music.SearchDoc {
	d := music.SearchDoc{Type: music.DocPodcast, ID: sh.ID, Title: sh.Title, Explicit: sh.Explicit}
	if sh.Author != "" {
		d.Artists = []string{sh.Author}
	}
	return d
}

// EpisodeDoc is a published episode as a search document; the show's
// title and author make "the show's name and a word of the episode" find
// it.
func EpisodeDoc(sh *music.Show, e *music.Episode) music.SearchDoc {
	d := music.SearchDoc{Type: music.DocEpisode, ID: e.ID, Title: e.Title, Album: sh.Title,
		ReleaseDate: e.PublishedAt, Explicit: e.Explicit}
	if sh.Author != "" {
		d.Artists = []string{sh.Author}
	}
	return d
}

// IndexEpisode puts a just-published episode and its show into idx.
func IndexEpisode(ctx context.Context, store music.PodcastStore, idx music.SearchIndex, episodeID string) error {
	e, err := store.Episode(ctx, episodeID)
	if err != nil {
		return err
	}
	sh, err := store.Show(ctx, e.ShowID)
	if err != nil {
		return err
	}
	if sh.Title == "" {
		return nil // never indexed without a title; the poll sets it first
	}
	return idx.Index(ctx, ShowDoc(sh), EpisodeDoc(sh, e))
}

// IndexShow brings the index in line with one show as the store holds
// it: a show that is up is indexed with its published episodes; one taken
// down (or unknown) is deleted with them, so the index holds no document
// a listener may not find. Takedown and restore call it; calling it twice
// changes nothing.
func IndexShow(ctx context.Context, store music.PodcastStore, idx music.SearchIndex, showID string) error {
	sh, err := store.Show(ctx, showID)
	if err != nil && music.ErrorCode(err) != music.ENOTFOUND {
		return fmt.Errorf("index show %s: %w", showID, err)
	}
	if err == nil && sh.Title != "" {
		var docs []music.SearchDoc
		if err := yieldShow(ctx, store, sh, func(d music.SearchDoc) error { docs = append(docs, d); return nil }); err != nil {
			return fmt.Errorf("index show %s: %w", showID, err)
		}
		return idx.Index(ctx, docs...)
	}
	if err := idx.Delete(ctx, music.DocPodcast, showID); err != nil {
		return fmt.Errorf("index show %s: %w", showID, err)
	}
	// Episodes lists a show's published episodes whether it is up or not.
	err = eachEpisode(ctx, store, showID, func(e *music.Episode) error { return idx.Delete(ctx, music.DocEpisode, e.ID) })
	if err != nil {
		return fmt.Errorf("index show %s: %w", showID, err)
	}
	return nil
}

// PodcastDocs is every show with a title and every published episode as
// search documents, for Reindex.
func PodcastDocs(ctx context.Context, store music.PodcastStore) music.DocSource {
	return func(yield func(music.SearchDoc) error) error {
		after := ""
		for {
			shows, err := store.Shows(ctx, after, podcastPage)
			if err != nil {
				return fmt.Errorf("podcast docs: %w", err)
			}
			if len(shows) == 0 {
				return nil
			}
			after = shows[len(shows)-1].ID
			for i := range shows {
				if err := yieldShow(ctx, store, &shows[i], yield); err != nil {
					return err
				}
			}
		}
	}
}

func yieldShow(ctx context.Context, store music.PodcastStore, sh *music.Show, yield func(music.SearchDoc) error) error {
	if sh.Title == "" {
		return nil
	}
	if err := yield(ShowDoc(sh)); err != nil {
		return err
	}
	return eachEpisode(ctx, store, sh.ID, func(e *music.Episode) error { return yield(EpisodeDoc(sh, e)) })
}

// eachEpisode calls fn with every published episode of a show, a page at
// a time.
func eachEpisode(ctx context.Context, store music.PodcastStore, showID string, fn func(*music.Episode) error) error {
	for offset := 0; ; offset += podcastPage {
		eps, _, err := store.Episodes(ctx, showID, offset, podcastPage)
		if err != nil {
			return fmt.Errorf("podcast docs: %w", err)
		}
		for i := range eps {
			if err := fn(&eps[i]); err != nil {
				return err
			}
		}
		if len(eps) < podcastPage {
			return nil
		}
	}
}

// Concat streams each source in turn.
func Concat(sources ...music.DocSource) music.DocSource {
	return func(yield func(music.SearchDoc) error) error {
		for _, src := range sources {
			if err := src(yield); err != nil {
				return err
			}
		}
		return nil
	}
}

// AllDocs is everything search holds: the music catalog, then podcasts.
func AllDocs(ctx context.Context, cat music.Catalog, pods music.PodcastStore) music.DocSource {
	return Concat(CatalogDocs(ctx, cat), PodcastDocs(ctx, pods))
}
