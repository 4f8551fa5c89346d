// Package xmlsafe reads XML that outsiders write (DDEX messages from labels,
// podcast feeds from anyone) without giving them a way in: the document's
// size is capped before it is held, and DOCTYPE, DTD and ENTITY
// declarations, malformed XML, non-UTF-8 encodings and a second root are
// refused before any decoding, with the line they were found on.
package xmlsafe
