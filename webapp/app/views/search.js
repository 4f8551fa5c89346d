// Search results: tracks, albums and artists, with did-you-mean.
import { get } from '../api.js';
import { el } from '../dom.js';
import { link } from '../router.js';
import { trackTable, full } from '../tracks.js';

export async function searchView(app, route) {
  const q = route.query.get('q') || '';
  const input = document.getElementById('search-input');
  if (input && document.activeElement !== input) input.value = q;
  if (!q) return [el('h1', {}, 'Search')];
  const r = await get(`/api/v1/search?q=${encodeURIComponent(q)}&limit=20`);
  const out = [el('h1', {}, `Results for “`, q, `”`)];
  if (r.did_you_mean) {
    out.push(el('p', {}, 'Did you mean ', el('a', { href: link.search(r.did_you_mean) }, r.did_you_mean), '?'));
  }
  const tracks = r.tracks?.items || [];
  if (tracks.length) {
    out.push(el('section', { 'aria-labelledby': 'h-tracks' }, el('h2', { id: 'h-tracks' }, 'Songs'),
      trackTable(app, tracks, { play: async (i) => app.player.play([await full(tracks[i])]) })));
  }
  const group = (id, title, items, href) => items.length && el('section', { 'aria-labelledby': id }, el('h2', { id }, title),
    el('ul', {}, items.map((h) => el('li', {}, el('a', { href: href(h.id) }, h.title), h.artists?.length ? ` — ${h.artists.join(', ')}` : ''))));
  out.push(group('h-albums', 'Albums', r.albums?.items || [], link.album));
  out.push(group('h-artists', 'Artists', r.artists?.items || [], link.artist));
  if (!tracks.length && !r.albums?.items?.length && !r.artists?.items?.length) out.push(el('p', {}, 'Nothing found.'));
  return out;
}
