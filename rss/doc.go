// Package rss reads podcast feeds: RSS 2.0 with the iTunes namespace and
// the Podcasting 2.0 namespace (podcast:guid, podcast:locked,
// podcast:chapters, podcast:transcript).
//
// A feed is written by an outsider, so it is read with the xmlsafe rules
// (size cap, no DTDs or entities) and walked token by token rather than
// unmarshalled: encoding/xml lets an untagged field match an element of
// any namespace, which would let <itunes:title> overwrite <title>.
//
// A broken feed (not RSS 2.0, no channel, no title) is refused whole. A
// broken item (no usable enclosure, an unreadable date, a guid used twice)
// is left out and reported in Feed.Problems, so one bad episode does not
// hide a show's others.
package rss
