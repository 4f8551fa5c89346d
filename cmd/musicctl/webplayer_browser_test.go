package main

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/openmusic/music/ingest"
	"github.com/openmusic/music/internal/browsertest"
	"github.com/openmusic/music/internal/deliverytest"
	"github.com/openmusic/music/internal/testmusic"
)

// The player's state as the page publishes it on the player bar.
const (
	position = `Number(document.getElementById('player').dataset.position || 0)`
	playing  = `(document.getElementById('player').dataset.state === 'playing')`
	paused   = `(document.getElementById('player').dataset.state === 'paused')`
)

// maxGapMs is the most silence allowed between consecutive album tracks,
// on the AudioContext clock.
const maxGapMs = 5

// hostileTitle is a track title that would run script if the player
// ever put API text into the page as markup.
const hostileTitle = `<img src=x onerror="window.__xss=1">`

// playerWorld is `musicctl up` with a small real album ingested and a
// listener who can sign in with a password.
type playerWorld struct {
	base, data     string
	user, password string
	userID         string
	album          string // the album's title
}

// newPlayerWorld starts up, ingests three 8 s cuts of the test music as
// one album (one track titled hostileTitle) and adds a listener.
func newPlayerWorld(t testing.TB) *playerWorld {
	t.Helper()
	masters := testmusic.Files(t, "wav", "*.wav")
	if len(masters) < 3 {
		t.Skipf("NOTICE: %d test masters, need 3; run `make fingerprint-music`", len(masters))
	}
	work := t.TempDir()
	w := &playerWorld{data: filepath.Join(work, "data"), user: "ada", password: "correct horse battery", album: "Northern Lights"}
	up := startUp(t, "--data-dir", w.data, "--http", "127.0.0.1:0", "--temporal-listen", "127.0.0.1:0", "--ui-listen", "")
	w.base = "http://" + up.ready["http"]
	label, stderr, code := run(t, "users", "add", "player-label", "--role", "label", "--data-dir", w.data)
	if code != 0 {
		t.Fatalf("users add (label): exit %d: %s", code, stderr)
	}
	t.Setenv("MUSIC_TOKEN", strings.TrimSpace(label))
	rel := deliverytest.Release{UPC: deliverytest.UPC(900), Title: w.album, Artist: "Aurora Ensemble", MessageID: "OMTEST-webplayer"}
	for i, title := range []string{"Battle Hymn", "Elvish Dawn", hostileTitle} {
		src := filepath.Join(work, fmt.Sprintf("cut%d.wav", i))
		if out, err := exec.Command("ffmpeg", "-nostdin", "-v", "error", "-ss", "20", "-t", "8", "-i", masters[i], "-c:a", "pcm_s16le", src).CombinedOutput(); err != nil {
			t.Fatalf("ffmpeg: %v\n%s", err, out)
		}
		rel.Tracks = append(rel.Tracks, deliverytest.Track{ISRC: deliverytest.ISRC(26, 900+i), Title: title, Source: src})
	}
	dir := filepath.Join(work, "delivery")
	if _, err := deliverytest.Write(dir, rel); err != nil {
		t.Fatal(err)
	}
	if out, stderr, code := run(t, "ingest", dir, "--json", "--data-dir", w.data, "--temporal-address", up.ready["temporal"]); code != 0 {
		t.Fatalf("ingest: exit %d\n%s\n%s", code, out, stderr)
	}
	w.userID = w.addListener(t, w.user, w.password).ID
	return w
}

// account is what `users add --json` prints.
type account struct{ ID, Token string }

// addListener creates a listener who signs in with a password.
func (w *playerWorld) addListener(t testing.TB, name, password string) account {
	t.Helper()
	cmd := musicctl("users", "add", name, "--role", "listener", "--password-stdin", "--json", "--data-dir", w.data)
	cmd.Stdin = strings.NewReader(password + "\n")
	out, err := cmd.Output()
	var a account
	if err == nil {
		err = json.Unmarshal(out, &a)
	}
	if err != nil || a.ID == "" || a.Token == "" {
		t.Fatalf("users add %s: %v\n%s", name, err, out)
	}
	return a
}

// signIn opens the player and signs in through the form as the listener.
func (w *playerWorld) signIn(p *browsertest.Page) { w.signInAs(p, w.user, w.password) }

func (w *playerWorld) signInAs(p *browsertest.Page, name, password string) {
	p.Do(chromedp.Navigate(w.base + "/"))
	p.Type("textbox", "Name", name)
	p.Type("textbox", "Password", password)
	p.Click("button", "Sign in")
	p.Find("link", "Library")
	// The first page then renders and takes the focus: typing before it
	// has lost a search (a soak run's "northern lights" went nowhere).
	p.WaitUntil("the first page shown", `document.querySelector('main h1') && !document.getElementById('main').hasAttribute('aria-busy')`)
}

// openAlbum searches for the album and opens its page. It waits for the
// album page: a click before it lands on whatever row re-renders under
// it (a CI run added a search result's track instead of the album's).
func (w *playerWorld) openAlbum(p *browsertest.Page) {
	p.Type("combobox", "Search", "northern lights")
	p.Press(kb.Enter)
	p.Find("heading", `Results for “northern lights”`)
	p.Click("link", w.album)
	p.Find("button", "Play album "+w.album)
}

// TestWebPlayerInABrowser drives the web player in headless Chromium
// against `musicctl up` with real ingested music: sign in, search a
// misspelt title and play it (the audio clock advances, the stream
// answered with audio, the AudioContext runs), seek, add to a new
// playlist, reload and find it kept, edit it from two browsers at once
// and see both converge, move playback to the other browser (Connect),
// see a hostile title as text, sign in again
// after the session ended and land on the same page, sign out. Every
// control is found by its role and accessible name.
func TestWebPlayerInABrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("runs musicctl up, ingest and a browser")
	}
	browser := browsertest.Start(t) // first: a missing browser fails before the slow setup
	axe := browsertest.AxeScript(t)
	w := newPlayerWorld(t)
	shots := filepath.Join("..", "..", "docs", "webplayer")
	// check runs axe-core on the page: no serious or critical violation.
	check := func(p *browsertest.Page, page string) {
		t.Helper()
		for _, v := range p.SeriousViolations(axe) {
			t.Errorf("%s: axe %s (%s): %s at %v", page, v.ID, v.Impact, v.Help, v.Nodes)
		}
	}
	p := browser.NewPage()
	traffic := browsertest.Watch(t, p)

	p.Do(chromedp.Navigate(w.base + "/"))
	p.Find("button", "Sign in")
	check(p, "sign-in")
	w.signIn(p)
	// Home lists the ingested album under New releases (the catalogue's
	// browse/new-releases route, licensed where the listener is).
	// The album's name also links from the track tables, so look inside
	// the section (a region named by its heading).
	p.FindWithin(p.Find("region", "New releases"), "link", w.album)
	check(p, "home")

	p.Type("combobox", "Search", "batle hymm")
	p.Press(kb.Enter)
	p.Find("heading", `Results for “batle hymm”`)
	p.Click("button", "Play Battle Hymn")
	p.WaitUntil("playing", position+` > 1`)
	p.WaitUntil("the AudioContext running", `document.getElementById('player').dataset.audio === 'running'`)
	if got := traffic.Matching("/audio/"); len(got) == 0 || !strings.HasPrefix(got[0].MimeType, "audio/") || got[0].Status/100 != 2 {
		t.Fatalf("stream responses: %+v, want a 2xx audio answer", got)
	}
	check(p, "search")
	p.Screenshot(filepath.Join(shots, "search.png"))

	// Seek by keyboard: three steps of one second on the slider.
	before := browsertest.Eval[float64](p, position)
	p.Focus("slider", "Seek")
	p.Press(kb.ArrowRight + kb.ArrowRight + kb.ArrowRight)
	p.WaitUntil("seeked forward", fmt.Sprintf(position+` > %f`, before+2))

	// A new playlist from the track's menu; kept across a reload.
	p.Click("button", "Add Battle Hymn to a playlist")
	p.Type("textbox", "New playlist name", "Road trip")
	p.Click("button", "Create and add")
	p.Click("link", "Playlists")
	p.Click("link", "Road trip")
	p.Find("button", "Play Battle Hymn")
	p.Do(chromedp.Reload())
	p.Find("heading", "Road trip")
	p.Find("button", "Play Battle Hymn")
	check(p, "playlist")
	p.Screenshot(filepath.Join(shots, "playlist.png"))

	// A second browser signed in as the same listener shows the playlist;
	// edits in either appear live in the other (the playlist's events).
	q := browser.NewPage()
	qTraffic := browsertest.Watch(t, q)
	w.signIn(q)
	q.Click("link", "Playlists")
	q.Click("link", "Road trip")
	q.Find("button", "Play Battle Hymn")

	// The album page: the hostile title is text, and no script ran.
	w.openAlbum(p)
	p.Click("button", "Add Elvish Dawn to a playlist")
	p.Click("button", "Add to Road trip")
	q.Find("button", "Play Elvish Dawn")
	q.Click("button", "Move Elvish Dawn up")
	// Album playback is gapless: the next track is decoded ahead and
	// scheduled on the AudioContext clock at the current one's end. Its
	// first stream request, made while the first track plays, is refused
	// with 401 (as an expired signed URL is): the player fetches fresh
	// URLs and still crosses the boundary without a gap.
	second, err := ingest.TrackID(deliverytest.ISRC(26, 901))
	if err != nil {
		t.Fatal(err)
	}
	refused := p.Refuse("*/audio/"+second+"/*", 1, 401)
	p.Click("button", "Play album "+w.album)
	p.Find("button", "Play "+hostileTitle)
	if n := browsertest.Eval[int](p, `document.querySelectorAll('main img').length + (window.__xss ? 100 : 0)`); n != 0 {
		t.Fatalf("the hostile title became markup (%d)", n)
	}
	select {
	case <-refused:
	case <-time.After(browsertest.Wait):
		t.Fatalf("the second track's stream was not requested within %s", browsertest.Wait)
	}
	p.WaitUntil("the album's first track playing", playing+` && document.getElementById('now-title').textContent === 'Battle Hymn'`)
	// Fresh URLs fetched the second track (it decodes in milliseconds,
	// well within the two seconds left after the seek below).
	waitForResponse(t, traffic, "/audio/"+second+"/", func(status int64) bool { return status/100 == 2 })
	browsertest.Eval[bool](p, `delete document.getElementById('player').dataset.gapMs`)
	p.Focus("slider", "Seek")
	p.Press(kb.End + kb.ArrowLeft + kb.ArrowLeft) // two seconds before the end
	p.WaitUntil("the second track after the boundary", `document.getElementById('now-title').textContent === 'Elvish Dawn' && 'gapMs' in document.getElementById('player').dataset`)
	gap := browsertest.Eval[float64](p, `Number(document.getElementById('player').dataset.gapMs)`)
	t.Logf("album track boundary: the next track started %.3f ms after the end, on the AudioContext clock", gap)
	if math.Abs(gap) > maxGapMs {
		t.Fatalf("gap at the album track boundary %.3f ms, want within %d ms", gap, maxGapMs)
	}
	checkDecodedEdges(t, p, traffic)
	if ok := traffic.Matching("/audio/" + second + "/"); len(ok) < 2 || ok[0].Status != 401 || ok[len(ok)-1].Status/100 != 2 {
		t.Fatalf("the second track's streams: %+v, want the refused 401 then a 2xx", ok)
	}
	// The rung follows measured throughput: 160 kbps before any sample,
	// then 320 kbps on loopback.
	streams := traffic.Matching("/audio/")
	if !strings.Contains(streams[0].URL, "/160.ogg") || !strings.Contains(streams[len(streams)-1].URL, "/320.ogg") {
		t.Fatalf("streams asked %s first and %s last, want 160 kbps then 320 kbps", streams[0].URL, streams[len(streams)-1].URL)
	}

	// Connect: the other browser is one of the listener's devices, and
	// playback moves there, the first browser pausing.
	device := browsertest.Eval[string](q, `document.getElementById('player').dataset.device`)
	p.WaitUntil("a second of the second track heard", position+` > 1`)
	p.Click("button", "Devices to play on")
	p.Click("button", "Play on "+device)
	q.WaitUntil("playing after the transfer", playing+` && `+position+` > 0.3`)
	p.WaitUntil("paused after the transfer", paused)
	waitForReport(t, traffic) // the album's play, ended here by the transfer
	p.Click("button", "Show queue")
	check(p, "album with the queue")
	p.Screenshot(filepath.Join(shots, "album.png"))
	p.Click("button", "Hide queue") // it covers the foot of the page
	p.Click("link", "Playlists")
	p.Click("link", "Road trip")
	const order = `[...document.querySelectorAll('main tbody tr')].map(r => r.querySelector('.title').textContent).join(' | ')`
	p.WaitUntil("the other browser's move", order+` === 'Elvish Dawn | Battle Hymn'`)
	q.WaitUntil("the same order", order+` === 'Elvish Dawn | Battle Hymn'`)

	// Conflicts: the second browser's event stream is refused, so it keeps
	// showing an old version and its next edit gets a 409. The edit is
	// re-applied on the new version (both edits kept), or, when its entry
	// was removed meanwhile, the listener is told it cannot apply.
	const announced = `document.getElementById('status').textContent`
	stale := q.Refuse("*/playlists/*/events*", 1, 401)
	q.Click("link", "Playlists")
	q.Click("link", "Road trip")
	select {
	case <-stale:
	case <-time.After(browsertest.Wait):
		t.Fatalf("the second browser's playlist events were not requested within %s", browsertest.Wait)
	}
	q.Find("button", "Play Elvish Dawn")
	p.Click("button", "Move Battle Hymn up")
	p.WaitUntil("the first browser's move", order+` === 'Battle Hymn | Elvish Dawn'`)
	q.Type("textbox", "Playlist name", "Road trip north")
	q.Click("button", "Rename")
	q.WaitUntil("the rename kept after the 409", announced+` === 'Renamed to Road trip north'`)
	for _, b := range []*browsertest.Page{p, q} {
		b.Find("heading", "Road trip north")
		b.WaitUntil("both edits", order+` === 'Battle Hymn | Elvish Dawn'`)
	}
	p.Click("button", "Remove Battle Hymn from the playlist")
	p.WaitUntil("the removal", order+` === 'Elvish Dawn'`)
	movesBefore := len(qTraffic.Matching("/tracks/move"))
	q.Click("button", "Move Battle Hymn down")
	q.WaitUntil("told the move cannot apply", announced+` === 'Moved Battle Hymn to position 2 could not apply: Battle Hymn was removed from the playlist on another device'`)
	// One move was sent and refused, and it was not sent again once the
	// re-read showed its entry removed.
	if moves := qTraffic.Matching("/tracks/move")[movesBefore:]; len(moves) != 1 || moves[0].Status != http.StatusConflict {
		t.Fatalf("the stale move's requests: %+v, want one answered 409", moves)
	}
	q.WaitUntil("the removal shown", order+` === 'Elvish Dawn'`)

	// Home shows friend activity: a listener who follows ada sees her play.
	friend := w.addListener(t, "bea", "bea's own password")
	follow, err := http.NewRequest(http.MethodPut, w.base+"/api/v1/me/following?type=user", strings.NewReader(`{"ids":["`+w.userID+`"]}`))
	if err != nil {
		t.Fatal(err)
	}
	follow.Header.Set("Authorization", "Bearer "+friend.Token)
	follow.Header.Set("Content-Type", "application/json")
	if res, err := http.DefaultClient.Do(follow); err != nil || res.StatusCode != http.StatusNoContent {
		t.Fatalf("bea follows ada: %v %+v", err, res)
	} else {
		res.Body.Close()
	}
	r := browser.NewPage()
	w.signInAs(r, "bea", "bea's own password")
	r.WaitUntil("ada's play in bea's friend activity", `fetch('/api/v1/me/friends/activity').then(r => r.json()).then(a => a.friends.length > 0)`)
	r.Do(chromedp.Reload())
	r.Find("heading", "Friends listening")
	if got := browsertest.Eval[string](r, `document.getElementById('h-friends').parentElement.textContent`); !strings.HasPrefix(strings.TrimPrefix(got, "Friends listening"), w.user+" ") {
		t.Fatalf("bea's friend activity reads %q, want ada's play", got)
	}
	check(r, "home with friend activity")
	r.Screenshot(filepath.Join(shots, "home.png"))

	// The owner adds bea as a collaborator from the playlist page, by
	// keyboard; she is listed with a button that removes her, and the
	// playlist is then among bea's.
	p.Type("textbox", "Collaborator user ID", friend.ID)
	p.Press(kb.Enter)
	p.WaitUntil("the collaborator added", announced+` === 'Added collaborator `+friend.ID+`'`)
	p.Find("button", "Remove collaborator "+friend.ID)
	check(p, "playlist with a collaborator")
	r.Click("link", "Playlists")
	r.Click("link", "Road trip north")
	r.Find("button", "Play Elvish Dawn")

	// The owner removes her, by keyboard: the list is updated, the focus
	// stays in the section, and bea may no longer edit. Her probe is a
	// removal of an entry that is not there: it changes nothing, and is
	// 422 for an editor (rights are checked first) but 403 for anyone else.
	playlist := browsertest.Eval[string](p, `decodeURIComponent(location.hash.split('/')[2])`)
	probe := func() int {
		t.Helper()
		req, err := http.NewRequest(http.MethodDelete, w.base+"/api/v1/playlists/"+playlist+"/tracks", strings.NewReader(`{"entry_ids":["ent_not_there"]}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+friend.Token)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code := probe(); code != http.StatusUnprocessableEntity {
		t.Fatalf("bea's edit as a collaborator: %d, want 422 (allowed, no such entry)", code)
	}
	p.Focus("button", "Remove collaborator "+friend.ID)
	p.Press(kb.Enter)
	p.WaitUntil("the collaborator removed", announced+` === 'Removed collaborator `+friend.ID+`'`)
	p.WaitUntil("the list updated and the focus on the add field",
		`document.getElementById('h-collaborators').parentElement.textContent.includes('No collaborators yet.') && document.activeElement.id === 'add-collaborator'`)
	if p.Has("button", "Remove collaborator "+friend.ID) {
		t.Fatal("the removed collaborator is still listed")
	}
	if code := probe(); code != http.StatusForbidden {
		t.Fatalf("bea's edit after her removal: %d, want 403", code)
	}

	// A password change ends every session: the next request brings the
	// sign-in form back, and signing in returns to the same page.
	w.password = "a different password"
	cmd := musicctl("users", "password", w.user, "--data-dir", w.data)
	cmd.Stdin = strings.NewReader(w.password + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("users password: %v\n%s", err, out)
	}
	p.Click("button", "Rename")
	p.Type("textbox", "Name", w.user)
	p.Type("textbox", "Password", w.password)
	p.Click("button", "Sign in")
	p.Find("heading", "Road trip north")

	p.Click("button", "Sign out")
	p.Find("button", "Sign in")
	if code := browsertest.Eval[int](p, `fetch('/api/v1/auth/session').then(r => r.status)`); code != 401 {
		t.Fatalf("after sign-out the session answers %d, want 401", code)
	}
}

// checkDecodedEdges decodes the 8 s album tracks the page played, as the
// player does (decodeAudioData), and checks that the decoder adds no
// silence a scheduled boundary would play as a gap: each buffer is 8 s
// within maxGapMs, and its first and last samples are not a run of
// silence that long.
func checkDecodedEdges(t *testing.T, p *browsertest.Page, traffic *browsertest.Traffic) {
	t.Helper()
	var urls []string
	for _, r := range traffic.Matching("/audio/") {
		if r.Status/100 == 2 && !slices.Contains(urls, r.URL) {
			urls = append(urls, r.URL)
		}
	}
	list, err := json.Marshal(urls)
	if err != nil {
		t.Fatal(err)
	}
	type edges struct{ Ms, LeadMs, TailMs float64 }
	got := browsertest.Eval[[]edges](p, fmt.Sprintf(`Promise.all(%s.map(async (u) => {
		const b = await new OfflineAudioContext(1, 1, 48000).decodeAudioData(await (await fetch(u)).arrayBuffer());
		const x = b.getChannelData(0), quiet = (v) => Math.abs(v) < 1e-4;
		let lead = 0; while (lead < x.length && quiet(x[lead])) lead++;
		let tail = 0; while (tail < x.length && quiet(x[x.length - 1 - tail])) tail++;
		return { Ms: b.duration * 1000, LeadMs: lead / b.sampleRate * 1000, TailMs: tail / b.sampleRate * 1000 };
	}))`, list))
	for i, e := range got {
		t.Logf("decoded %s: %.3f ms, silent %.3f ms at the start and %.3f ms at the end", urls[i][strings.Index(urls[i], "/audio/"):strings.Index(urls[i], "?")], e.Ms, e.LeadMs, e.TailMs)
		if math.Abs(e.Ms-8000) > maxGapMs || e.LeadMs > maxGapMs || e.TailMs > maxGapMs {
			t.Errorf("decoded track %d: %+v, want 8 s with no silent edge over %d ms", i, e, maxGapMs)
		}
	}
}

// waitForReport waits for the player's first playback report and checks
// the server took it (202: the session cookie and CSRF token counted).
func waitForReport(t *testing.T, traffic *browsertest.Traffic) {
	t.Helper()
	if r := waitForResponse(t, traffic, "/api/v1/playback/report", func(int64) bool { return true }); r.Status != 202 {
		t.Fatalf("playback report: %d, want 202", r.Status)
	}
}

// waitForResponse waits for the first response whose URL contains part
// and whose status is one ok takes.
func waitForResponse(t *testing.T, traffic *browsertest.Traffic, part string, ok func(status int64) bool) browsertest.Response {
	t.Helper()
	deadline := time.Now().Add(browsertest.Wait)
	for {
		for _, r := range traffic.Matching(part) {
			if ok(r.Status) {
				return r
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no response for %s after %s", part, browsertest.Wait)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
