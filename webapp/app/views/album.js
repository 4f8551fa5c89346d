// An album page: its tracks, played with album gain.
import { get } from '../api.js';
import { el } from '../dom.js';
import { link } from '../router.js';
import { trackTable, save } from '../tracks.js';

export async function albumView(app, route) {
  const a = await get(`/api/v1/albums/${encodeURIComponent(route.id)}`);
  const play = (i) => app.player.play(a.tracks, i, { album: true });
  return [
    el('h1', {}, a.name),
    el('p', {}, el('a', { href: link.artist(a.artist.id) }, a.artist.name), a.release_date ? ` · ${a.release_date}` : '', a.label ? ` · ${a.label}` : ''),
    el('p', {}, el('button', { type: 'button', onclick: () => play(0) }, `Play album ${a.name}`), ' ',
      el('button', { type: 'button', onclick: () => save('albums', a.album_id, a.name) }, `Save album ${a.name} to the library`)),
    trackTable(app, a.tracks, { play }),
    a.p_line ? el('p', { class: 'muted' }, a.p_line) : null,
  ];
}
