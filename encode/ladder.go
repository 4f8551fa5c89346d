package encode

import (
	music "github.com/openmusic/music"
	"github.com/openmusic/music/encode/vorbis"
)

// Rung is one Ogg Vorbis rendition of the ladder.
type Rung struct {
	Name     string // file stem: the catalog's rung (music.Rung160 is "160")
	Bitrate  int    // nominal bits per second (what the catalog advertises)
	Rate     int    // output sample rate
	Channels int
	Mode     vorbis.Mode
	Quality  float32 // for vorbis.Quality
}

// Ladder is the platform's rendition ladder.
//
// Bitrate mode: quality-based VBR (libvorbisenc's fast path, as oggenc),
// with each rung's quality calibrated on the wesnoth-1.16-music corpus so
// the rung's mean lands on its nominal bitrate. libvorbisenc's own
// nominal-to-quality mapping ("oggenc -b") lands 15–18 % under nominal on
// that corpus, and managed ABR is several times slower because it encodes
// every packet at many bitrates. The 24 kbps rung runs at 16 kHz stereo
// (libvorbis refuses 44.1 kHz stereo below about 45 kbps), where the
// nominal mapping is already accurate. docs/benchmarks/encode.md has the
// per-file figures; corpus_test.go checks mean ±15 % and every file ±30 %.
var Ladder = []Rung{
	{Name: music.Rung24, Bitrate: 24000, Rate: 16000, Channels: 2, Mode: vorbis.Nominal},
	{Name: music.Rung96, Bitrate: 96000, Rate: 44100, Channels: 2, Mode: vorbis.Quality, Quality: 0.30},
	{Name: music.Rung160, Bitrate: 160000, Rate: 44100, Channels: 2, Mode: vorbis.Quality, Quality: 0.61},
	{Name: music.Rung320, Bitrate: 320000, Rate: 44100, Channels: 2, Mode: vorbis.Quality, Quality: 0.93},
}

// ladderRate is the rate of the main rungs and the preview.
const ladderRate = 44100
