package serving

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/bleve"
	"github.com/openmusic/music/blobkey"
	"github.com/openmusic/music/connect"
	"github.com/openmusic/music/offlinecrypt"
	"github.com/openmusic/music/reco"
	"github.com/openmusic/music/serving/apiclient"
)

// clientCall is one call of the generated client and the status it must
// get back.
type clientCall struct {
	operationID string
	want        int
	call        func(ctx context.Context) (*http.Response, error)
}

// TestGeneratedClientCallsEveryOperation serves a fully wired server over
// real HTTP and calls every operation in the OpenAPI document through the
// client oapi-codegen generated from that document (serving/apiclient).
// Each answer must have the status the call expects, and one the
// document declares for the operation. An operation without a call here
// fails the test; a route dropped from the document takes its client
// method away, and this file no longer compiles.
func TestGeneratedClientCallsEveryOperation(t *testing.T) {
	e := newAPIEnv(t) // catalog, playlists, library, this document
	ctx := context.Background()
	_, opsToken, err := e.st.CreateUser(ctx, "ops", music.RoleOps, "GB")
	if err != nil {
		t.Fatal(err)
	}
	idx, err := bleve.Open(t.TempDir(), bleve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	if err := idx.Index(ctx, music.SearchDoc{Type: music.DocTrack, ID: "rel-1-d1t01", Title: "Bohemian Rhapsody"}); err != nil {
		t.Fatal(err)
	}
	e.s.HandleSearch(idx)
	e.s.HandleReindex(e.st, &Reindexer{Index: idx})
	_, events := embeddedLog(t)
	e.s.HandlePlayback(e.st, e.st, events)
	e.s.HandleRankings(e.st)
	e.s.HandleIdentify(nil, e.st, e.st) // called only without a token, so never reached
	svc := connect.New(connect.NewMemory(), &connect.CatalogTracks{Catalog: e.st, Playlists: e.st, Now: func() time.Time { return catalogNow }})
	e.s.HandleConnect(e.st, svc)
	e.s.HandlePlayer(e.st, svc)
	e.s.HandleReviews(e.st, e.st, e.st, e.st, nil)
	e.s.HandleRecommendations(Recommendations{Catalog: e.st, Licences: e.st, Users: e.st, Cache: e.st, Popular: e.st, Live: &reco.Live{}})
	e.s.HandleSocial(e.social())
	e.s.HandleSavedPlaylists(e.st, e.st, e.st)
	e.s.HandleAuth(e.st, e.st, AuthOptions{OpenSignup: true})
	audio := openFileStore(t)
	e.s.HandlePodcasts(Podcasts{Users: e.st, Store: e.st, Listening: e.st, Plays: e.st, Poller: &recordingPoller{}, Blobs: audio})
	showID, episodeID, _ := seedPodcast(t, e.st)
	putSeedChapters(t, audio, episodeID)
	setPassword(t, e.st, "alice", "correct horse")
	e.s.Signer = testSigner(t, "")
	e.s.HandleAudio(audio, AudioOptions{})
	version := strings.Repeat("a", blobkey.RenditionVersionLen)
	putAudio(t, audio, "rel-1-d1t01", "320.ogg", 1000)
	putAudio(t, audio, "rel-1-d1t01", version+"/96.ogg", 1000)
	keys, err := offlinecrypt.NewKeyring(make([]byte, offlinecrypt.SeedSize))
	if err != nil {
		t.Fatal(err)
	}
	putAudio(t, audio, episodeID, "0123456789ab/96.ogg", 1000)
	e.s.HandleOffline(Offline{Users: e.st, Store: e.st, Catalog: e.st, Playlists: e.st, Podcasts: e.st, Blobs: audio, Keys: keys})
	deviceKey, err := offlinecrypt.NewDeviceKey()
	if err != nil {
		t.Fatal(err)
	}
	var device deviceJSON
	var manifest, episodeManifest manifestJSON

	ts := httptest.NewServer(e.s.Handler())
	defer ts.Close()
	c, err := apiclient.NewClient(ts.URL, apiclient.WithHTTPClient(testHTTP))
	if err != nil {
		t.Fatal(err)
	}
	as := func(token string) apiclient.RequestEditorFn {
		return func(_ context.Context, r *http.Request) error {
			r.Header.Set("Authorization", "Bearer "+token)
			return nil
		}
	}
	ifMatch := func(version string) apiclient.RequestEditorFn {
		return func(_ context.Context, r *http.Request) error {
			r.Header.Set("If-Match", `"`+version+`"`)
			return nil
		}
	}
	signed := func(path string) (exp, sig *string) {
		u, err := url.Parse(e.s.Signer.Sign(path))
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		return ptr(q.Get("exp")), ptr(q.Get("sig"))
	}
	// Calls run in order and share the playlist the first one creates,
	// and the session the login starts.
	var session *http.Cookie
	var signedIn sessionJSON
	withSession := func(_ context.Context, r *http.Request) error {
		if session == nil {
			return nil
		}
		r.AddCookie(session)
		r.Header.Set(CSRFHeader, signedIn.CSRFToken)
		return nil
	}
	var pl playlistJSON
	var share shareJSON
	var editorial playlistJSON
	var edited changeJSON
	var added changeJSON
	calls := []clientCall{
		{"getOpenapiJson", 200, func(ctx context.Context) (*http.Response, error) { return c.GetOpenapiJson(ctx) }},
		{"getTracksById", 200, func(ctx context.Context) (*http.Response, error) {
			return c.GetTracksById(ctx, "rel-1-d1t01", as(e.alice))
		}},
		{"getTracks", 200, func(ctx context.Context) (*http.Response, error) {
			return c.GetTracks(ctx, &apiclient.GetTracksParams{Isrc: ptr("QZ0000102001")}, as(e.alice))
		}},
		{"getAlbumsById", 200, func(ctx context.Context) (*http.Response, error) { return c.GetAlbumsById(ctx, "rel-1", as(e.alice)) }},
		{"getArtistsById", 404, func(ctx context.Context) (*http.Response, error) { return c.GetArtistsById(ctx, "nobody", as(e.alice)) }},
		{"getBrowseNewReleases", 200, func(ctx context.Context) (*http.Response, error) {
			return c.GetBrowseNewReleases(ctx, &apiclient.GetBrowseNewReleasesParams{Offset: ptr("0"), Limit: ptr("10")}, as(e.alice))
		}},
		{"getSearch", 200, func(ctx context.Context) (*http.Response, error) {
			return c.GetSearch(ctx, &apiclient.GetSearchParams{Q: ptr("bohemian"), Type: ptr("track"), Limit: ptr("5")})
		}},
		{"getSearchSuggest", 400, func(ctx context.Context) (*http.Response, error) {
			return c.GetSearchSuggest(ctx, &apiclient.GetSearchSuggestParams{Q: ptr("bo"), Limit: ptr("many")})
		}},
		{"getAudioByTrackIdByFile", 200, func(ctx context.Context) (*http.Response, error) {
			exp, sig := signed(AudioPath("rel-1-d1t01", "320.ogg"))
			return c.GetAudioByTrackIdByFile(ctx, "rel-1-d1t01", "320.ogg", &apiclient.GetAudioByTrackIdByFileParams{Exp: exp, Sig: sig})
		}},
		{"getAudioByTrackIdByVersionByFile", 200, func(ctx context.Context) (*http.Response, error) {
			exp, sig := signed(AudioPath("rel-1-d1t01", version+"/96.ogg"))
			return c.GetAudioByTrackIdByVersionByFile(ctx, "rel-1-d1t01", version, "96.ogg",
				&apiclient.GetAudioByTrackIdByVersionByFileParams{Exp: exp, Sig: sig})
		}},
		{"postPlaylists", 201, func(ctx context.Context) (*http.Response, error) {
			return decodeInto(t, &pl)(c.PostPlaylists(ctx, apiclient.PlaylistCreate{Name: "Mix", Public: ptr(true)}, as(e.alice)))
		}},
		{"getMePlaylists", 200, func(ctx context.Context) (*http.Response, error) {
			return c.GetMePlaylists(ctx, &apiclient.GetMePlaylistsParams{Limit: ptr("10")}, as(e.alice))
		}},
		{"getPlaylistsById", 200, func(ctx context.Context) (*http.Response, error) { return c.GetPlaylistsById(ctx, pl.ID, as(e.bob)) }},
		{"patchPlaylistsById", 200, func(ctx context.Context) (*http.Response, error) {
			return c.PatchPlaylistsById(ctx, pl.ID, apiclient.PlaylistUpdate{Name: ptr("Mix 2")}, as(e.alice), ifMatch("1"))
		}},
		{"postPlaylistsByIdTracks", 201, func(ctx context.Context) (*http.Response, error) {
			return decodeInto(t, &added)(c.PostPlaylistsByIdTracks(ctx, pl.ID,
				apiclient.Place{TrackIds: &[]string{"rel-1-d1t01", "rel-1-d1t02"}, Position: ptr(0)}, as(e.alice)))
		}},
		{"getPlaylistsByIdTracks", 200, func(ctx context.Context) (*http.Response, error) {
			return c.GetPlaylistsByIdTracks(ctx, pl.ID, &apiclient.GetPlaylistsByIdTracksParams{Offset: ptr("0")}, as(e.alice))
		}},
		{"postPlaylistsByIdTracksMove", 200, func(ctx context.Context) (*http.Response, error) {
			return c.PostPlaylistsByIdTracksMove(ctx, pl.ID, apiclient.Place{EntryIds: &[]string{entryID(t, added, 0)}, Position: ptr(1)}, as(e.alice))
		}},
		{"deletePlaylistsByIdTracks", 200, func(ctx context.Context) (*http.Response, error) {
			return c.DeletePlaylistsByIdTracks(ctx, pl.ID, apiclient.EntryIDs{EntryIds: []string{entryID(t, added, 1)}}, as(e.alice))
		}},
		{"putPlaylistsByIdCollaboratorsByUserId", 200, func(ctx context.Context) (*http.Response, error) {
			return c.PutPlaylistsByIdCollaboratorsByUserId(ctx, pl.ID, e.bobID, as(e.alice))
		}},
		{"deletePlaylistsByIdCollaboratorsByUserId", 200, func(ctx context.Context) (*http.Response, error) {
			return c.DeletePlaylistsByIdCollaboratorsByUserId(ctx, pl.ID, e.bobID, as(e.alice))
		}},
		{"getPlaylistsByIdEvents", 200, func(ctx context.Context) (*http.Response, error) {
			return c.GetPlaylistsByIdEvents(ctx, pl.ID, nil, as(e.alice))
		}},
		{"getPlaylistsByIdChanges", 200, func(ctx context.Context) (*http.Response, error) {
			return c.GetPlaylistsByIdChanges(ctx, pl.ID, &apiclient.GetPlaylistsByIdChangesParams{Since: ptr("1"), Limit: ptr("2")}, as(e.bob))
		}},
		{"deletePlaylistsById", 204, func(ctx context.Context) (*http.Response, error) {
			return c.DeletePlaylistsById(ctx, pl.ID, as(e.alice))
		}},
		{"putMeLibraryByKind", 204, func(ctx context.Context) (*http.Response, error) {
			return c.PutMeLibraryByKind(ctx, "tracks", apiclient.IDs{Ids: []string{"rel-1-d1t01"}}, as(e.alice))
		}},
		{"getMeLibraryByKind", 200, func(ctx context.Context) (*http.Response, error) {
			return c.GetMeLibraryByKind(ctx, "tracks", nil, as(e.alice))
		}},
		{"deleteMeLibraryByKind", 204, func(ctx context.Context) (*http.Response, error) {
			return c.DeleteMeLibraryByKind(ctx, "tracks", apiclient.IDs{Ids: []string{"rel-1-d1t01"}}, as(e.alice))
		}},
		{"postIdentify", 401, func(ctx context.Context) (*http.Response, error) {
			return c.PostIdentifyWithBody(ctx, "application/octet-stream", strings.NewReader("RIFF"))
		}},
		{"postPlaybackReport", 202, func(ctx context.Context) (*http.Response, error) {
			return c.PostPlaybackReport(ctx, apiclient.PlaybackReport{EventId: "ev-e2e-1", TrackId: ptr("rel-1-d1t01"), SessionId: "s1",
				DeviceId: "d1", PlayedAt: catalogNow.Add(-time.Minute), DurationListenedMs: 30000, Quality: apiclient.N160kbps})
		}},
		{"getRankingsHistory", 404, func(ctx context.Context) (*http.Response, error) {
			return c.GetRankingsHistory(ctx, &apiclient.GetRankingsHistoryParams{Category: ptr("pop"), Date: ptr("2026-03-01")})
		}},
		{"postAdminReindex", 403, func(ctx context.Context) (*http.Response, error) { return c.PostAdminReindex(ctx, as(e.alice)) }},
		// No device is connected: playback commands are 404, while shuffle,
		// repeat and the queue are settings kept for the next device.
		{"postMeConnectTicket", 201, func(ctx context.Context) (*http.Response, error) { return c.PostMeConnectTicket(ctx, as(e.alice)) }},
		{"getMeConnect", 426, func(ctx context.Context) (*http.Response, error) { return c.GetMeConnect(ctx, nil, as(e.alice)) }},
		{"getMePlayer", 204, func(ctx context.Context) (*http.Response, error) { return c.GetMePlayer(ctx, as(e.alice)) }},
		{"getMePlayerDevices", 200, func(ctx context.Context) (*http.Response, error) { return c.GetMePlayerDevices(ctx, as(e.alice)) }},
		{"getMePlayerQueue", 200, func(ctx context.Context) (*http.Response, error) { return c.GetMePlayerQueue(ctx, as(e.alice)) }},
		{"putMePlayer", 404, func(ctx context.Context) (*http.Response, error) {
			return c.PutMePlayer(ctx, apiclient.PlayerTransfer{DeviceIds: []string{"no-such-device"}}, as(e.alice))
		}},
		{"putMePlayerPlay", 404, func(ctx context.Context) (*http.Response, error) {
			return c.PutMePlayerPlay(ctx, nil, apiclient.PlayerPlay{Uris: &[]string{"track:rel-1-d1t01"}}, as(e.alice))
		}},
		{"putMePlayerPause", 404, func(ctx context.Context) (*http.Response, error) { return c.PutMePlayerPause(ctx, nil, as(e.alice)) }},
		{"postMePlayerNext", 404, func(ctx context.Context) (*http.Response, error) { return c.PostMePlayerNext(ctx, as(e.alice)) }},
		{"postMePlayerPrevious", 404, func(ctx context.Context) (*http.Response, error) { return c.PostMePlayerPrevious(ctx, as(e.alice)) }},
		{"putMePlayerSeek", 404, func(ctx context.Context) (*http.Response, error) {
			return c.PutMePlayerSeek(ctx, &apiclient.PutMePlayerSeekParams{PositionMs: ptr("1000")}, as(e.alice))
		}},
		{"putMePlayerShuffle", 204, func(ctx context.Context) (*http.Response, error) {
			return c.PutMePlayerShuffle(ctx, &apiclient.PutMePlayerShuffleParams{State: ptr("true")}, as(e.alice))
		}},
		{"putMePlayerRepeat", 204, func(ctx context.Context) (*http.Response, error) {
			return c.PutMePlayerRepeat(ctx, &apiclient.PutMePlayerRepeatParams{State: ptr("off")}, as(e.alice))
		}},
		{"postMePlayerQueue", 204, func(ctx context.Context) (*http.Response, error) {
			return c.PostMePlayerQueue(ctx, &apiclient.PostMePlayerQueueParams{Uri: ptr("track:rel-1-d1t01")}, as(e.alice))
		}},
		// Nothing is held and no model is trained: listings are empty,
		// decisions on unknown ids are 404 and recommendations come from popularity.
		{"getAdminReviews", 200, func(ctx context.Context) (*http.Response, error) {
			return c.GetAdminReviews(ctx, &apiclient.GetAdminReviewsParams{Status: ptr("pending")}, as(opsToken))
		}},
		{"postAdminReviewsById", 404, func(ctx context.Context) (*http.Response, error) {
			return c.PostAdminReviewsById(ctx, "no-such-review", apiclient.ReviewDecision{Decision: "accept"}, as(opsToken))
		}},
		{"putAdminOwnersByKindById", 403, func(ctx context.Context) (*http.Response, error) {
			return c.PutAdminOwnersByKindById(ctx, "release", "rel-1", apiclient.OwnerTransfer{OwnerId: e.bobID}, as(e.alice))
		}},
		{"getMeRecommendations", 200, func(ctx context.Context) (*http.Response, error) {
			return c.GetMeRecommendations(ctx, &apiclient.GetMeRecommendationsParams{List: ptr("discover_weekly")}, as(e.alice))
		}},
		{"getRecommendations", 200, func(ctx context.Context) (*http.Response, error) {
			return c.GetRecommendations(ctx, &apiclient.GetRecommendationsParams{SeedTracks: ptr("rel-1-d1t01")}, as(e.alice))
		}},
		{"getAdminReindex", 200, func(ctx context.Context) (*http.Response, error) { return c.GetAdminReindex(ctx, as(opsToken)) }},
		// social (#17): alice follows bob, an artist and a playlist of her own.
		{"getMe", 200, func(ctx context.Context) (*http.Response, error) { return c.GetMe(ctx, as(e.alice)) }},
		{"getUsersById", 200, func(ctx context.Context) (*http.Response, error) { return c.GetUsersById(ctx, e.bobID, as(e.alice)) }},
		{"putMeFollowing", 204, func(ctx context.Context) (*http.Response, error) {
			return c.PutMeFollowing(ctx, &apiclient.PutMeFollowingParams{Type: ptr("user")}, apiclient.IDs{Ids: []string{e.bobID}}, as(e.alice))
		}},
		{"getMeFollowing", 200, func(ctx context.Context) (*http.Response, error) {
			return c.GetMeFollowing(ctx, &apiclient.GetMeFollowingParams{Type: ptr("user"), Limit: ptr("10")}, as(e.alice))
		}},
		{"getMeFollowingContains", 200, func(ctx context.Context) (*http.Response, error) {
			return c.GetMeFollowingContains(ctx, &apiclient.GetMeFollowingContainsParams{Type: ptr("user"), Ids: ptr(e.bobID)}, as(e.alice))
		}},
		{"deleteMeFollowing", 204, func(ctx context.Context) (*http.Response, error) {
			return c.DeleteMeFollowing(ctx, &apiclient.DeleteMeFollowingParams{Type: ptr("artist")}, apiclient.IDs{Ids: []string{"art-main"}}, as(e.alice))
		}},
		{"getArtistsByIdFollowers", 200, func(ctx context.Context) (*http.Response, error) {
			return c.GetArtistsByIdFollowers(ctx, "art-main", as(e.alice))
		}},
		{"putPlaylistsByIdFollowers", 204, func(ctx context.Context) (*http.Response, error) {
			res, err := decodeInto(t, &pl)(c.PostPlaylists(ctx, apiclient.PlaylistCreate{Name: "Followed", Public: ptr(true)}, as(e.alice)))
			if err != nil {
				return nil, err
			}
			res.Body.Close()
			return c.PutPlaylistsByIdFollowers(ctx, pl.ID, as(e.bob))
		}},
		{"getPlaylistsByIdFollowers", 200, func(ctx context.Context) (*http.Response, error) {
			return c.GetPlaylistsByIdFollowers(ctx, pl.ID, as(e.bob))
		}},
		{"deletePlaylistsByIdFollowers", 204, func(ctx context.Context) (*http.Response, error) {
			return c.DeletePlaylistsByIdFollowers(ctx, pl.ID, as(e.alice))
		}},
		{"putMeLibraryPlaylists", 204, func(ctx context.Context) (*http.Response, error) {
			return c.PutMeLibraryPlaylists(ctx, apiclient.IDs{Ids: []string{pl.ID}}, as(e.bob))
		}},
		{"getMeLibraryPlaylists", 200, func(ctx context.Context) (*http.Response, error) {
			return c.GetMeLibraryPlaylists(ctx, &apiclient.GetMeLibraryPlaylistsParams{Limit: ptr("10")}, as(e.bob))
		}},
		{"deleteMeLibraryPlaylists", 204, func(ctx context.Context) (*http.Response, error) {
			return c.DeleteMeLibraryPlaylists(ctx, apiclient.IDs{Ids: []string{pl.ID}}, as(e.bob))
		}},
		{"postPlaylistsByIdShare", 201, func(ctx context.Context) (*http.Response, error) {
			res, err := decodeInto(t, &share)(c.PostPlaylistsByIdShare(ctx, pl.ID, as(e.alice)))
			return res, err
		}},
		{"getSharedByToken", 200, func(ctx context.Context) (*http.Response, error) {
			return c.GetSharedByToken(ctx, share.Token, &apiclient.GetSharedByTokenParams{Limit: ptr("10")}, as(e.bob))
		}},
		{"postShares", 201, func(ctx context.Context) (*http.Response, error) {
			return c.PostShares(ctx, apiclient.ShareCreate{Type: "track", Id: "rel-1-d1t01"}, as(e.bob))
		}},
		{"getMeShares", 200, func(ctx context.Context) (*http.Response, error) {
			return c.GetMeShares(ctx, &apiclient.GetMeSharesParams{Limit: ptr("10")}, as(e.alice))
		}},
		{"deleteSharesById", 204, func(ctx context.Context) (*http.Response, error) {
			return c.DeleteSharesById(ctx, share.ID, as(e.alice))
		}},
		// podcasts (#16)
		{"postPodcasts", 201, func(ctx context.Context) (*http.Response, error) {
			return c.PostPodcasts(ctx, apiclient.PodcastAdd{FeedUrl: "https://feeds.example.org/new.xml"}, as(e.lbl))
		}},
		{"postPodcastsByIdRefresh", 202, func(ctx context.Context) (*http.Response, error) {
			return c.PostPodcastsByIdRefresh(ctx, showID, as(e.lbl))
		}},
		{"getPodcastsById", 200, func(ctx context.Context) (*http.Response, error) { return c.GetPodcastsById(ctx, showID, as(e.alice)) }},
		{"getPodcastsByIdEpisodes", 200, func(ctx context.Context) (*http.Response, error) {
			return c.GetPodcastsByIdEpisodes(ctx, showID, &apiclient.GetPodcastsByIdEpisodesParams{Limit: ptr("10")}, as(e.alice))
		}},
		{"putMePodcastsById", 204, func(ctx context.Context) (*http.Response, error) {
			return c.PutMePodcastsById(ctx, showID, as(e.alice))
		}},
		{"getMePodcasts", 200, func(ctx context.Context) (*http.Response, error) {
			return c.GetMePodcasts(ctx, &apiclient.GetMePodcastsParams{Limit: ptr("10")}, as(e.alice))
		}},
		{"deleteMePodcastsById", 204, func(ctx context.Context) (*http.Response, error) {
			return c.DeleteMePodcastsById(ctx, showID, as(e.alice))
		}},
		{"putMeEpisodesByIdPosition", 204, func(ctx context.Context) (*http.Response, error) {
			return c.PutMeEpisodesByIdPosition(ctx, episodeID, apiclient.EpisodePosition{PositionMs: 30000}, as(e.alice))
		}},
		{"getPodcastsByIdStats", 200, func(ctx context.Context) (*http.Response, error) {
			return c.GetPodcastsByIdStats(ctx, showID, &apiclient.GetPodcastsByIdStatsParams{From: ptr("2026-03-01"), To: ptr("2026-03-31")}, as(e.lbl))
		}},
		{"getEpisodesById", 200, func(ctx context.Context) (*http.Response, error) {
			return c.GetEpisodesById(ctx, episodeID, as(e.alice))
		}},
		{"getEpisodesByIdChapters", 200, func(ctx context.Context) (*http.Response, error) {
			return c.GetEpisodesByIdChapters(ctx, episodeID, as(e.alice))
		}},
		{"getEpisodesByIdTranscript", 404, func(ctx context.Context) (*http.Response, error) {
			return c.GetEpisodesByIdTranscript(ctx, episodeID, as(e.alice))
		}},
		{"putMeSettings", 200, func(ctx context.Context) (*http.Response, error) {
			return c.PutMeSettings(ctx, apiclient.Settings{ShareActivity: ptr(true)}, as(e.alice))
		}},
		{"getMeSettings", 200, func(ctx context.Context) (*http.Response, error) { return c.GetMeSettings(ctx, as(e.alice)) }},
		{"putMeBlocks", 204, func(ctx context.Context) (*http.Response, error) {
			return c.PutMeBlocks(ctx, apiclient.IDs{Ids: []string{e.bobID}}, as(e.alice))
		}},
		{"getMeBlocks", 200, func(ctx context.Context) (*http.Response, error) {
			return c.GetMeBlocks(ctx, &apiclient.GetMeBlocksParams{Limit: ptr("10")}, as(e.alice))
		}},
		{"deleteMeBlocks", 204, func(ctx context.Context) (*http.Response, error) {
			return c.DeleteMeBlocks(ctx, apiclient.IDs{Ids: []string{e.bobID}}, as(e.alice))
		}},
		{"getMeFriendsActivity", 200, func(ctx context.Context) (*http.Response, error) {
			return c.GetMeFriendsActivity(ctx, &apiclient.GetMeFriendsActivityParams{Limit: ptr("10")}, as(e.alice))
		}},
		{"getMeFriendsActivityEvents", 200, func(ctx context.Context) (*http.Response, error) {
			return c.GetMeFriendsActivityEvents(ctx, as(e.alice))
		}},
		{"postEditorialPlaylists", 201, func(ctx context.Context) (*http.Response, error) {
			return decodeInto(t, &editorial)(c.PostEditorialPlaylists(ctx, apiclient.EditorialPlaylist{Name: "Featured",
				CoverUrl: "https://img.example.com/f.jpg", TrackIds: &[]string{"rel-1-d1t01"}}, as(opsToken)))
		}},
		{"getBrowseFeaturedPlaylists", 200, func(ctx context.Context) (*http.Response, error) {
			return c.GetBrowseFeaturedPlaylists(ctx, &apiclient.GetBrowseFeaturedPlaylistsParams{Limit: ptr("10")}, as(e.alice))
		}},
		{"postEditorialPlaylistsByIdTracks", 200, func(ctx context.Context) (*http.Response, error) {
			return decodeInto(t, &edited)(c.PostEditorialPlaylistsByIdTracks(ctx, editorial.ID, apiclient.Place{TrackIds: &[]string{"rel-1-d1t02"}}, as(opsToken)))
		}},
		{"deleteEditorialPlaylistsByIdTracks", 200, func(ctx context.Context) (*http.Response, error) {
			return c.DeleteEditorialPlaylistsByIdTracks(ctx, editorial.ID, apiclient.EntryIDs{EntryIds: []string{edited.Entries[0].EntryID}}, as(opsToken))
		}},
		{"patchEditorialPlaylistsById", 200, func(ctx context.Context) (*http.Response, error) {
			return c.PatchEditorialPlaylistsById(ctx, editorial.ID, apiclient.EditorialPlaylistUpdate{Name: ptr("Featured again")}, as(opsToken))
		}},
		{"deleteEditorialPlaylistsById", 204, func(ctx context.Context) (*http.Response, error) {
			return c.DeleteEditorialPlaylistsById(ctx, editorial.ID, as(opsToken))
		}},
		// web player (#18)
		{"postAuthSignup", 201, func(ctx context.Context) (*http.Response, error) {
			return c.PostAuthSignup(ctx, apiclient.Signup{Name: "carol", Password: "carol's password", Country: ptr("DE")})
		}},
		{"postAuthLogin", 200, func(ctx context.Context) (*http.Response, error) {
			res, err := decodeInto(t, &signedIn)(c.PostAuthLogin(ctx, apiclient.Credentials{Name: "alice", Password: "correct horse"}))
			if err == nil {
				for _, ck := range res.Cookies() {
					if ck.Name == SessionCookie {
						session = ck
					}
				}
			}
			return res, err
		}},
		{"getAuthSession", 200, func(ctx context.Context) (*http.Response, error) { return c.GetAuthSession(ctx, withSession) }},
		{"postAuthLogout", 204, func(ctx context.Context) (*http.Response, error) { return c.PostAuthLogout(ctx, withSession) }},
		// offline downloads (#15)
		{"postMeOfflineDevices", 201, func(ctx context.Context) (*http.Response, error) {
			return decodeInto(t, &device)(c.PostMeOfflineDevices(ctx, apiclient.OfflineDevice{Name: "phone", PublicKey: offlinecrypt.EncodeKey(deviceKey.Public())}, as(e.alice)))
		}},
		{"getMeOfflineDevices", 200, func(ctx context.Context) (*http.Response, error) { return c.GetMeOfflineDevices(ctx, as(e.alice)) }},
		{"postMeOfflineDownloads", 200, func(ctx context.Context) (*http.Response, error) {
			q := apiclient.OfflineDownloadQuality("320")
			return decodeInto(t, &manifest)(c.PostMeOfflineDownloads(ctx, apiclient.OfflineDownload{DeviceId: device.DeviceID,
				TrackIds: &[]string{"rel-1-d1t01"}, Quality: &q}, as(e.alice)))
		}},
		{"postMeOfflineDownloads", 200, func(ctx context.Context) (*http.Response, error) {
			return decodeInto(t, &episodeManifest)(c.PostMeOfflineDownloads(ctx, apiclient.OfflineDownload{DeviceId: device.DeviceID,
				EpisodeIds: &[]string{episodeID}}, as(e.alice)))
		}},
		{"getOfflineEpisodesByEpisodeIdByVersionByFile", 200, func(ctx context.Context) (*http.Response, error) {
			u, err := url.Parse(episodeManifest.Items[0].URL)
			if err != nil {
				return nil, err
			}
			seg := strings.Split(strings.TrimPrefix(u.Path, "/offline/episodes/"), "/")
			q := u.Query()
			return c.GetOfflineEpisodesByEpisodeIdByVersionByFile(ctx, seg[0], seg[1], seg[2],
				&apiclient.GetOfflineEpisodesByEpisodeIdByVersionByFileParams{Exp: ptr(q.Get("exp")), Sig: ptr(q.Get("sig"))})
		}},
		{"getOfflineByTrackIdByVersionByFile", 200, func(ctx context.Context) (*http.Response, error) {
			u, err := url.Parse(manifest.Items[0].URL)
			if err != nil {
				return nil, err
			}
			seg := strings.Split(strings.TrimPrefix(u.Path, "/offline/"), "/")
			q := u.Query()
			return c.GetOfflineByTrackIdByVersionByFile(ctx, seg[0], seg[1], seg[2],
				&apiclient.GetOfflineByTrackIdByVersionByFileParams{Exp: ptr(q.Get("exp")), Sig: ptr(q.Get("sig"))})
		}},
		{"postMeOfflineLicencesRenew", 200, func(ctx context.Context) (*http.Response, error) {
			return c.PostMeOfflineLicencesRenew(ctx, apiclient.OfflineRenew{DeviceId: device.DeviceID, Licences: []string{manifest.Items[0].Licence}}, as(e.alice))
		}},
		{"deleteMeOfflineDownloads", 204, func(ctx context.Context) (*http.Response, error) {
			return c.DeleteMeOfflineDownloads(ctx, apiclient.OfflineForget{DeviceId: device.DeviceID, TrackIds: &[]string{"rel-1-d1t01"},
				EpisodeIds: &[]string{episodeID}}, as(e.alice))
		}},
		{"deleteMeOfflineDevicesById", 204, func(ctx context.Context) (*http.Response, error) {
			return c.DeleteMeOfflineDevicesById(ctx, device.DeviceID, as(e.alice))
		}},
		// last: the show's takedown hides it from the calls above
		{"deletePodcastsById", 204, func(ctx context.Context) (*http.Response, error) {
			return c.DeletePodcastsById(ctx, showID, as(opsToken))
		}},
		{"postPodcastsByIdRestore", 204, func(ctx context.Context) (*http.Response, error) {
			return c.PostPodcastsByIdRestore(ctx, showID, as(opsToken))
		}},
	}

	declared := map[string]map[int]bool{}
	for _, op := range apiOperations {
		codes := map[int]bool{op.ok: true}
		for _, c := range op.errors {
			codes[c] = true
		}
		declared[operationID(op.method, op.path)] = codes
	}
	called := map[string]bool{}
	for _, tc := range calls {
		called[tc.operationID] = true
		codes, ok := declared[tc.operationID]
		if !ok {
			t.Errorf("%s: the document has no such operation", tc.operationID)
			continue
		}
		// The events stream never ends by itself: a bounded context ends
		// every call, and only the status is read.
		callCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
		res, err := tc.call(callCtx)
		if err != nil {
			cancel()
			t.Fatalf("%s: %v", tc.operationID, err)
		}
		var body []byte
		if res.StatusCode != tc.want {
			body, _ = io.ReadAll(io.LimitReader(res.Body, 1<<10))
		}
		res.Body.Close()
		cancel()
		if res.StatusCode != tc.want {
			t.Errorf("%s: status %d, want %d: %s", tc.operationID, res.StatusCode, tc.want, body)
		}
		if !codes[res.StatusCode] {
			t.Errorf("%s answered %d, which the document does not declare", tc.operationID, res.StatusCode)
		}
	}
	for id := range declared {
		if !called[id] {
			t.Errorf("operation %s has no call in this test: run `make openapi`, then add a call of its client method", id)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// decodeInto wraps a call so that a successful answer's JSON body lands
// in out; the body is then consumed.
func decodeInto(t *testing.T, out any) func(*http.Response, error) (*http.Response, error) {
	return func(res *http.Response, err error) (*http.Response, error) {
		if err != nil || res.StatusCode >= 300 {
			return res, err
		}
		if err := json.NewDecoder(res.Body).Decode(out); err != nil {
			t.Errorf("decode %s: %v", res.Request.URL, err)
		}
		return res, nil
	}
}

func entryID(t *testing.T, c changeJSON, i int) string {
	t.Helper()
	if i >= len(c.Entries) {
		t.Fatalf("the add answered %d entries, want more than %d", len(c.Entries), i)
	}
	return c.Entries[i].EntryID
}
