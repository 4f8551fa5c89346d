// The library: saved albums, artists and tracks.
import { get, track } from '../api.js';
import { el } from '../dom.js';
import { link } from '../router.js';
import { trackTable, save } from '../tracks.js';

export async function libraryView(app) {
  const [albums, artists, tracks] = await Promise.all(['albums', 'artists', 'tracks'].map((k) => get(`/api/v1/me/library/${k}?limit=50`)));
  const [al, ar, tr] = await Promise.all([
    Promise.all(albums.items.map((i) => get(`/api/v1/albums/${encodeURIComponent(i.id)}`).catch(() => null))),
    Promise.all(artists.items.map((i) => get(`/api/v1/artists/${encodeURIComponent(i.id)}`).catch(() => null))),
    Promise.all(tracks.items.map((i) => track(i.id).catch(() => null))),
  ]);
  const saved = tr.filter(Boolean);
  const remove = (kind, id, name) => el('button', { type: 'button', onclick: async () => { await save(kind, id, name, true); app.refresh(); } }, `Remove ${name} from the library`);
  return [
    el('h1', {}, 'Library'),
    el('h2', {}, 'Albums'),
    el('ul', {}, al.filter(Boolean).map((a) => el('li', {}, el('a', { href: link.album(a.album_id) }, a.name), ' ', remove('albums', a.album_id, a.name)))),
    el('h2', {}, 'Artists'),
    el('ul', {}, ar.filter(Boolean).map((a) => el('li', {}, el('a', { href: link.artist(a.artist_id) }, a.name), ' ', remove('artists', a.artist_id, a.name)))),
    el('h2', {}, 'Songs'),
    saved.length ? trackTable(app, saved, { play: (i) => app.player.play(saved, i), extra: (t) => remove('tracks', t.track_id, t.title) }) : el('p', {}, 'No saved songs.'),
  ];
}
