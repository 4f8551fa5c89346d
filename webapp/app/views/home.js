// Home: what friends play, the listener's recommendations, new releases
// licensed where the listener is, the latest daily chart, followed
// podcasts (each a link to its page) and the listener's playlists. A
// section the API has nothing for (or answers with an error) is left out.
import { get, track as fetchTrack } from '../api.js';
import { el } from '../dom.js';
import { link } from '../router.js';
import { trackTable } from '../tracks.js';

const lists = [['discover_weekly', 'Discover Weekly'], ['daily_mix', 'Daily Mix'], ['release_radar', 'Release Radar']];

// chartDays is how many days back home looks for the newest chart (the
// Rankings workflow computes each day's after it ends).
const chartDays = 3;

export async function homeView(app) {
  const [recs, fresh, chart, friends, podcasts, ps] = await Promise.all([
    Promise.all(lists.map(([id]) => get(`/api/v1/me/recommendations?list=${id}&limit=10`).catch(() => null))),
    get('/api/v1/browse/new-releases?limit=10').catch(() => null),
    latestChart(), get('/api/v1/me/friends/activity?limit=10').catch(() => null),
    get('/api/v1/me/podcasts?limit=10').catch(() => null), get('/api/v1/me/playlists?limit=20').catch(() => null),
  ]);
  const sections = [el('h1', {}, 'Home')];
  if (friends?.friends?.length) sections.push(section('friends', 'Friends listening', el('ul', {}, friends.friends.map(friendItem))));
  recs.forEach((r, i) => {
    if (r?.tracks?.length) sections.push(section(lists[i][0], lists[i][1], playable(app, r.tracks)));
  });
  if (fresh?.albums?.items?.length) {
    sections.push(section('new-releases', 'New releases', el('ul', {}, fresh.albums.items.map(albumItem))));
  }
  if (chart?.tracks.length) sections.push(section('chart', `Top tracks, ${chart.date}`, playable(app, chart.tracks)));
  if (podcasts?.items?.length) {
    sections.push(section('podcasts', 'Your podcasts', el('ul', {}, podcasts.items.map((s) =>
      el('li', {}, el('a', { href: link.podcast(s.id) }, s.title), el('span', { class: 'muted' }, ` · ${s.author || ''} · ${s.unplayed} unplayed`))))));
  }
  sections.push(section('playlists', 'Your playlists',
    ps?.items?.length ? el('ul', {}, ps.items.map((p) => el('li', {}, el('a', { href: link.playlist(p.id) }, p.name))))
      : el('p', {}, 'No playlists yet. Search for a song and add it to a new playlist.')));
  return sections;
}

function section(id, title, body) {
  return el('section', { 'aria-labelledby': `h-${id}` }, el('h2', { id: `h-${id}` }, title), body);
}

const playable = (app, tracks) => trackTable(app, tracks, { play: (k) => app.player.play(tracks, k) });

// latestChart is the newest overall chart of the last chartDays days,
// with its tracks (the chart names only their IDs), or null.
async function latestChart() {
  for (let d = 0; d < chartDays; d++) {
    const date = new Date(Date.now() - d * 86400_000).toISOString().slice(0, 10);
    const c = await get(`/api/v1/rankings/history?date=${date}&limit=10`).catch(() => null);
    if (!c?.entries?.length) continue;
    const tracks = await Promise.all(c.entries.map((e) => fetchTrack(e.track_id).catch(() => null)));
    return { date: c.date, tracks: tracks.filter(Boolean) };
  }
  return null;
}

// albumItem links a new release by its name, with its artist and date.
function albumItem(a) {
  return el('li', {}, el('a', { href: link.album(a.album_id) }, a.name),
    el('span', { class: 'muted' }, [a.artist?.name, a.release_date].filter(Boolean).map((x) => ` · ${x}`).join('')));
}

// friendItem is one friend's latest play (the track is null when it is
// not licensed where the listener is).
function friendItem(f) {
  const t = f.track;
  return el('li', {}, f.user.display_name, ' ', f.playing ? 'is playing ' : 'played ',
    t ? el('a', { href: link.album(t.album.id) }, t.title) : 'a track not available here',
    t?.artist?.name ? el('span', { class: 'muted' }, ` · ${t.artist.name}`) : null);
}
