package rss

import (
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"

	music "github.com/openmusic/music"
)

// rawItem is an item's fields as written, before they are checked.
type rawItem struct {
	title, guid, pubDate, description, summary, duration string
	season, number, explicit                             string
	enclosure                                            music.Enclosure
	enclosureLength                                      string
	enclosures                                           int
	chapters, transcript                                 music.Link
}

// item reads one <item> and adds it to the feed or to its problems.
func (p *parser) item(start xml.StartElement) error {
	p.items++
	line := p.line()
	var r rawItem
	for {
		tok, err := p.d.Token()
		if err != nil {
			return music.Errorf(music.EINVALID, "malformed XML near line %d: %v", p.line(), err)
		}
		if _, end := tok.(xml.EndElement); end {
			break
		}
		el, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if done := r.attrs(el); done {
			if err := p.d.Skip(); err != nil {
				return music.Errorf(music.EINVALID, "malformed XML near line %d: %v", p.line(), err)
			}
			continue
		}
		v, err := p.textOf(el)
		if err != nil {
			return err
		}
		r.set(key(el.Name), v)
	}
	ep, reason := r.episode()
	if reason == "" {
		if first, dup := p.guids[ep.GUID]; dup {
			reason = fmt.Sprintf("guid already used by item %d", first)
		}
	}
	if reason != "" {
		p.feed.Problems = append(p.feed.Problems, ItemProblem{Item: p.items, Line: line, GUID: r.guid, Reason: reason})
		return nil
	}
	p.guids[ep.GUID] = p.items
	p.feed.Episodes = append(p.feed.Episodes, ep)
	return nil
}

// attrs takes what an element carries in attributes; it reports whether
// the element was one of those.
func (r *rawItem) attrs(el xml.StartElement) bool {
	switch key(el.Name) {
	case "enclosure":
		r.enclosures++
		if r.enclosures == 1 {
			r.enclosure = music.Enclosure{URL: attr(el, "url"), Type: strings.ToLower(attr(el, "type"))}
			r.enclosureLength = attr(el, "length")
		}
	case "podcast:chapters":
		r.chapters = music.Link{URL: attr(el, "url"), Type: attr(el, "type")}
	case "podcast:transcript":
		if r.transcript.URL == "" { // the first one the feed lists
			r.transcript = music.Link{URL: attr(el, "url"), Type: attr(el, "type")}
		}
	default:
		return false
	}
	return true
}

// set keeps the text of an element the item uses.
func (r *rawItem) set(k, v string) {
	switch k {
	case "title":
		r.title = v
	case "guid":
		r.guid = v
	case "pubDate":
		r.pubDate = v
	case "description":
		r.description = v
	case "itunes:summary":
		r.summary = v
	case "itunes:duration":
		r.duration = v
	case "itunes:season":
		r.season = v
	case "itunes:episode":
		r.number = v
	case "itunes:explicit":
		r.explicit = v
	}
}

// episode checks the item; a non-empty reason says why it is left out.
func (r *rawItem) episode() (music.Episode, string) {
	ep := music.Episode{
		GUID: r.guid, Title: r.title, Description: r.description,
		Season: parseCount(r.season), Number: parseCount(r.number),
		Explicit: parseFlag(r.explicit), Enclosure: r.enclosure,
		Chapters: r.chapters, Transcript: r.transcript,
	}
	if ep.Description == "" {
		ep.Description = r.summary
	}
	if r.enclosures == 0 {
		return ep, "no <enclosure>: nothing to play"
	}
	if err := absoluteHTTP(ep.Enclosure.URL); err != nil {
		return ep, "enclosure url " + err.Error()
	}
	if t := ep.Enclosure.Type; t != "" && !strings.HasPrefix(t, "audio/") {
		return ep, fmt.Sprintf("enclosure type %q is not audio", t)
	}
	if r.enclosureLength != "" {
		n, err := strconv.ParseInt(r.enclosureLength, 10, 64)
		if err != nil || n < 0 {
			return ep, fmt.Sprintf("enclosure length %q is not a byte count", r.enclosureLength)
		}
		ep.Enclosure.Length = n
	}
	// An item without a guid is known by its enclosure, as podcast apps do.
	if ep.GUID == "" {
		ep.GUID = ep.Enclosure.URL
	}
	if ep.Title == "" {
		return ep, "no <title>"
	}
	if r.pubDate != "" {
		t, err := parsePubDate(r.pubDate)
		if err != nil {
			return ep, err.Error()
		}
		ep.PublishedAt = t
	}
	if r.duration != "" {
		if d, err := parseDuration(r.duration); err == nil {
			ep.Duration = d // a bad claim is harmless: the fetch measures it
		}
	}
	for _, l := range []music.Link{ep.Chapters, ep.Transcript} {
		if l.URL != "" {
			if err := absoluteHTTP(l.URL); err != nil {
				return ep, "podcast link " + err.Error()
			}
		}
	}
	return ep, ""
}
