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
	for offset := 0; ; offset += podcastPage {
		eps, _, err := store.Episodes(ctx, sh.ID, offset, podcastPage)
		if err != nil {
			return fmt.Errorf("podcast docs: %w", err)
		}
		for i := range eps {
			if err := yield(EpisodeDoc(sh, &eps[i])); err != nil {
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
