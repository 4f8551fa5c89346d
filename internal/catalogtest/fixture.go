package catalogtest

import (
	"fmt"
	"time"

	music "github.com/openmusic/music"
)

// date returns midnight UTC of a day.
func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// worldwideDeal is open everywhere from 2020 on.
var worldwideDeal = music.Deal{
	Territories:     []string{music.Worldwide},
	Start:           date(2020, 1, 1),
	CommercialModel: "SubscriptionModel",
	UseTypes:        []string{"OnDemandStream", "Stream"},
}

// Publication builds a sample release "rel-<n>" with tracks on two discs, listed
// out of order on purpose, every rung of renditions, a fingerprint per
// track and one worldwide deal. Artist art-main is on every release.
func Publication(n, tracks int) music.Publication {
	rid := fmt.Sprintf("rel-%d", n)
	main := music.ArtistCredit{ArtistID: "art-main", Name: "The Main Band", Role: "MainArtist"}
	p := music.Publication{
		Release: music.Release{
			ID: rid, UPC: fmt.Sprintf("0000000%05d", n), Title: fmt.Sprintf("Album %d", n), Label: "Test Label",
			ReleaseDate: fmt.Sprintf("2021-%02d-01", n%12+1), Genre: "Rock", PLine: "(P) 2021 Test Label",
			CLine: "(C) 2021 Test Label", CoverKey: "covers/" + rid + ".jpg", Sender: "PADPIDA0000000001",
			MessageID: "msg-" + rid, Artists: []music.ArtistCredit{main},
		},
		Deals:   []music.Deal{worldwideDeal},
		Publish: true,
	}
	// Disc 2 first, then disc 1 backwards: the store must sort.
	var order [][2]int
	half := (tracks + 1) / 2
	for i := half + 1; i <= tracks; i++ {
		order = append(order, [2]int{2, i - half})
	}
	for i := half; i >= 1; i-- {
		order = append(order, [2]int{1, i})
	}
	for _, dt := range order {
		tid := fmt.Sprintf("%s-d%dt%02d", rid, dt[0], dt[1])
		feat := music.ArtistCredit{ArtistID: fmt.Sprintf("art-feat-%d", n), Name: fmt.Sprintf("Guest %d", n), Role: "FeaturedArtist"}
		t := music.Track{
			ID: tid, ISRC: fmt.Sprintf("QZ%03d%02d%05d", n/100%1000, n%100, dt[0]*1000+dt[1]),
			Title: fmt.Sprintf("Song %d.%d.%d", n, dt[0], dt[1]), Version: "Album Version",
			DiscNumber: dt[0], TrackNumber: dt[1], Duration: 183*time.Second + 250*time.Millisecond,
			Genre: "Rock", Explicit: dt[1]%2 == 0, PLine: "(P) 2021 Test Label", PreviewStart: 45 * time.Second,
			Popularity: 7, ReplayGain: music.ReplayGain{TrackGain: -6.25, TrackPeak: 0.988, AlbumGain: -5.5, AlbumPeak: 0.999},
			LoudnessLUFS: -11.75, LoudnessRange: 6.5, MasterKey: "masters/" + tid + "/master.flac",
			MasterSHA256: fmt.Sprintf("%064x", n*1000+dt[0]*100+dt[1]),
			Dedup:        music.Dedup{Decision: music.DedupNew},
			Artists:      []music.ArtistCredit{main, feat},
			AudioFeatures: &music.AudioFeatures{Tempo: 118 + float64(dt[1]), Key: (n + dt[1]) % 12, Mode: dt[1] % 2,
				KeyConfidence: 0.71, Energy: 0.62, Loudness: -11.75, SpectralCentroid: 1450.5, Brightness: 0.31,
				OnsetRate: 3.25, BeatStrength: 0.44, Danceability: 0.44, Version: 1},
		}
		p.Tracks = append(p.Tracks, t)
		for i, rung := range music.Rungs {
			codec, rate, ext := "vorbis", 44100, ".ogg"
			if rung == music.RungPreview {
				codec, ext = "mp3", ".mp3"
			}
			p.Renditions = append(p.Renditions, music.Rendition{
				TrackID: tid, Rung: rung, BlobKey: "audio/" + tid + "/" + rung + ext,
				Bytes: int64(1000 * (i + 1)), SHA256: fmt.Sprintf("%064x", i+1), Codec: codec,
				Bitrate: 24000 * (i + 1), SampleRate: rate, Channels: 2, Samples: 8085000,
			})
		}
		p.Fingerprints = append(p.Fingerprints, music.Fingerprint{
			TrackID: tid, Algorithm: "chromaprint2", Fingerprint: "AQAAE0mUaEkSRZEGAA" + tid,
			PCMSHA256: fmt.Sprintf("%064x", 0xabc0000+n*1000+dt[0]*100+dt[1]), Duration: 183 * time.Second,
		})
	}
	return p
}
