// An artist page: their albums the listener may see.
import { get } from '../api.js';
import { el } from '../dom.js';
import { link } from '../router.js';
import { save } from '../tracks.js';

export async function artistView(app, route) {
  const a = await get(`/api/v1/artists/${encodeURIComponent(route.id)}`);
  return [
    el('h1', {}, a.name),
    el('p', {}, el('button', { type: 'button', onclick: () => save('artists', a.artist_id, a.name) }, `Save artist ${a.name} to the library`)),
    el('h2', {}, 'Albums'),
    el('ul', {}, a.albums.map((al) => el('li', {}, el('a', { href: link.album(al.album_id) }, al.name), al.release_date ? ` (${al.release_date.slice(0, 4)})` : ''))),
  ];
}
