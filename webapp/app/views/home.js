// Home: the listener's recommendations, today's chart, and their playlists.
import { get } from '../api.js';
import { el } from '../dom.js';
import { link } from '../router.js';
import { trackTable } from '../tracks.js';

const lists = [['discover_weekly', 'Discover Weekly'], ['daily_mix', 'Daily Mix'], ['release_radar', 'Release Radar']];

export async function homeView(app) {
  const sections = [el('h1', {}, 'Home')];
  const found = await Promise.all(lists.map(([id]) => get(`/api/v1/me/recommendations?list=${id}&limit=10`).catch(() => null)));
  found.forEach((r, i) => {
    if (r?.tracks?.length) {
      sections.push(el('section', { 'aria-labelledby': `h-${lists[i][0]}` }, el('h2', { id: `h-${lists[i][0]}` }, lists[i][1]),
        trackTable(app, r.tracks, { play: (k) => app.player.play(r.tracks, k) })));
    }
  });
  const ps = await get('/api/v1/me/playlists?limit=20').catch(() => null);
  sections.push(el('section', { 'aria-labelledby': 'h-playlists' }, el('h2', { id: 'h-playlists' }, 'Your playlists'),
    ps?.items?.length ? el('ul', {}, ps.items.map((p) => el('li', {}, el('a', { href: link.playlist(p.id) }, p.name))))
      : el('p', {}, 'No playlists yet. Search for a song and add it to a new playlist.')));
  return sections;
}
