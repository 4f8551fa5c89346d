package encode

import "fmt"

// Tags are the catalog fields written into every rendition.
type Tags struct {
	Title       string `json:"title,omitempty"`
	Artist      string `json:"artist,omitempty"`
	Album       string `json:"album,omitempty"`
	TrackNumber string `json:"tracknumber,omitempty"`
	ISRC        string `json:"isrc,omitempty"`
}

// vorbisComments formats tags and ReplayGain 2.0 values as Vorbis
// comments the way ReplayGain 2.0 taggers write them: gains "%.2f dB",
// peaks "%.6f" (linear), and the reference loudness in LUFS.
func vorbisComments(t Tags, l Loudness, album *Album) []string {
	var c []string
	add := func(k, v string) {
		if v != "" {
			c = append(c, k+"="+v)
		}
	}
	add("TITLE", t.Title)
	add("ARTIST", t.Artist)
	add("ALBUM", t.Album)
	add("TRACKNUMBER", t.TrackNumber)
	add("ISRC", t.ISRC)
	add("REPLAYGAIN_TRACK_GAIN", fmt.Sprintf("%.2f dB", l.Gain))
	add("REPLAYGAIN_TRACK_PEAK", fmt.Sprintf("%.6f", l.Peak))
	if album != nil {
		add("REPLAYGAIN_ALBUM_GAIN", fmt.Sprintf("%.2f dB", album.Gain))
		add("REPLAYGAIN_ALBUM_PEAK", fmt.Sprintf("%.6f", album.Peak))
	}
	add("REPLAYGAIN_REFERENCE_LOUDNESS", fmt.Sprintf("%.2f LUFS", ReferenceLoudness))
	return c
}
