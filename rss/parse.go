package rss

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/xmlsafe"
)

// DefaultMaxFeedSize caps a feed at 16 MB. Long-running daily shows with
// full show notes reach a few megabytes; 16 MB bounds what one outsider's
// feed can make a poller hold.
const DefaultMaxFeedSize = 16 << 20

// Feed is what a feed says: the show, its usable episodes in feed order,
// and the items left out with the reason.
type Feed struct {
	Show     music.Show
	Episodes []music.Episode
	Problems []ItemProblem
	// Self is where the feed says it is served from; polls ignore it, and
	// registering a show from a copy of its feed relies on it.
	Self SelfLink
}

// ItemProblem is an item left out of Feed.Episodes.
type ItemProblem struct {
	Item   int    // 1-based position among the feed's items
	Line   int    // where the item starts
	GUID   string // "" when the item has none
	Reason string
}

func (p ItemProblem) String() string {
	if p.GUID != "" {
		return fmt.Sprintf("item %d (line %d, guid %q): %s", p.Item, p.Line, p.GUID, p.Reason)
	}
	return fmt.Sprintf("item %d (line %d): %s", p.Item, p.Line, p.Reason)
}

// Parse reads a feed of at most DefaultMaxFeedSize bytes.
func Parse(r io.Reader) (*Feed, error) {
	return ParseLimit(r, DefaultMaxFeedSize)
}

// ParseLimit reads a feed of at most max bytes. A feed that is not safe
// XML, not RSS 2.0, or has no channel title is EINVALID with the line.
func ParseLimit(r io.Reader, max int64) (*Feed, error) {
	buf, err := xmlsafe.ReadLimited(r, max, "feed")
	if err != nil {
		return nil, err
	}
	root, err := xmlsafe.Scan(buf)
	if err != nil {
		return nil, err
	}
	if root.Local != "rss" || root.Space != "" {
		return nil, music.Errorf(music.EINVALID, "root element <%s> is not <rss>: not an RSS feed", root.Local)
	}
	p := &parser{d: xml.NewDecoder(bytes.NewReader(buf)), guids: map[string]int{}}
	if err := p.run(); err != nil {
		return nil, err
	}
	if p.channels == 0 {
		return nil, music.Errorf(music.EINVALID, "the feed has no <channel>")
	}
	if p.feed.Show.Title == "" {
		return nil, music.Errorf(music.EINVALID, "the channel has no <title>")
	}
	return &p.feed, nil
}

// parser walks the tokens of a scanned feed.
type parser struct {
	d        *xml.Decoder
	feed     Feed
	channels int
	items    int
	guids    map[string]int // guid → item number, to catch reuse
}

func (p *parser) line() int { l, _ := p.d.InputPos(); return l }

func (p *parser) run() error {
	for {
		tok, err := p.d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return music.Errorf(music.EINVALID, "malformed XML near line %d: %v", p.line(), err)
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch {
		case start.Name.Local == "rss" && start.Name.Space == "":
			if v := attr(start, "version"); v != "2.0" {
				return music.Errorf(music.EINVALID, "line %d: <rss version=%q> is not RSS 2.0", p.line(), v)
			}
		case start.Name.Local == "channel" && start.Name.Space == "":
			p.channels++
			if p.channels > 1 {
				return music.Errorf(music.EINVALID, "line %d: a second <channel>: a feed has one show", p.line())
			}
			if err := p.channel(); err != nil {
				return err
			}
		default:
			if err := p.d.Skip(); err != nil {
				return music.Errorf(music.EINVALID, "malformed XML near line %d: %v", p.line(), err)
			}
		}
	}
}

// text reads the character data of the element just started.
func (p *parser) text(start xml.StartElement) (string, error) {
	var v struct {
		Text string `xml:",chardata"`
	}
	if err := p.d.DecodeElement(&v, &start); err != nil {
		return "", music.Errorf(music.EINVALID, "line %d: <%s>: %v", p.line(), start.Name.Local, err)
	}
	return strings.TrimSpace(v.Text), nil
}

// channel reads the channel's own elements and its items, up to </channel>.
func (p *parser) channel() error {
	s := &p.feed.Show
	var summary, imageURL string
	for {
		tok, err := p.d.Token()
		if err != nil {
			return music.Errorf(music.EINVALID, "malformed XML near line %d: %v", p.line(), err)
		}
		if _, end := tok.(xml.EndElement); end {
			break
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		line := p.line()
		switch key(start.Name) {
		case "item":
			if err := p.item(start); err != nil {
				return err
			}
			continue
		case "itunes:image":
			s.ImageURL = attr(start, "href")
		case "image":
			if err := p.channelImage(start, &imageURL); err != nil {
				return err
			}
			continue
		case elAtomSelf:
			p.feed.noteSelf(atomSelf(start, line))
			if err := p.d.Skip(); err != nil {
				return music.Errorf(music.EINVALID, "malformed XML near line %d: %v", p.line(), err)
			}
			continue
		}
		v, err := p.textOf(start)
		if err != nil {
			return err
		}
		switch key(start.Name) {
		case "title":
			s.Title = v
		case "description":
			s.Description = v
		case "itunes:summary":
			summary = v
		case "language":
			s.Language = v
		case "itunes:author":
			s.Author = v
		case "itunes:explicit":
			s.Explicit = parseFlag(v)
		case "podcast:guid":
			s.GUID = v
		case "podcast:locked":
			s.Locked = parseFlag(v)
		case elNewFeedURL:
			p.feed.noteSelf(SelfLink{URL: v, Element: elNewFeedURL, Line: line})
		}
	}
	if s.Description == "" {
		s.Description = summary
	}
	if s.ImageURL == "" {
		s.ImageURL = imageURL
	}
	return nil
}

// textOf reads an element's text when it is one the parser keeps, and
// skips it otherwise.
func (p *parser) textOf(start xml.StartElement) (string, error) {
	if space(start.Name) == "other" {
		if err := p.d.Skip(); err != nil {
			return "", music.Errorf(music.EINVALID, "malformed XML near line %d: %v", p.line(), err)
		}
		return "", nil
	}
	return p.text(start)
}

// channelImage reads RSS's <image><url>…</url></image>.
func (p *parser) channelImage(start xml.StartElement, out *string) error {
	var v struct {
		URL string `xml:"url"`
	}
	if err := p.d.DecodeElement(&v, &start); err != nil {
		return music.Errorf(music.EINVALID, "line %d: <image>: %v", p.line(), err)
	}
	*out = strings.TrimSpace(v.URL)
	return nil
}

// absoluteHTTP checks that a feed's link is an absolute http(s) URL.
func absoluteHTTP(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an absolute http or https URL", raw)
	}
	return nil
}
