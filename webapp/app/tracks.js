// The track list every view shows, and the actions on a track: play,
// queue, add to a playlist, save to the library.
import { call, get, track as fetchTrack } from './api.js';
import { el, duration, announce, artistNames } from './dom.js';
import { link } from './router.js';
import { pickPlaylist } from './playlistpicker.js';

// trackTable lists tracks (full tracks, or search hits that carry only
// id and title). opts.play(i) plays row i; opts.extra(t, i) adds
// buttons to a row (the playlist view's move and remove).
export function trackTable(app, items, opts = {}) {
  const rows = items.map((t, i) => {
    const title = t.title;
    const id = t.track_id || t.id;
    return el('tr', {},
      el('td', { class: 'num' }, String(i + 1)),
      el('td', {}, el('button', { type: 'button', class: 'play', 'aria-label': `Play ${title}`, onclick: () => opts.play(i) }, '▶'),
        ' ', el('span', { class: 'title' }, title)),
      el('td', {}, t.artist?.id ? el('a', { href: link.artist(t.artist.id) }, artistNames(t)) : artistNames(t)),
      el('td', {}, t.album?.id ? el('a', { href: link.album(t.album.id) }, t.album.name) : (t.album?.name || t.album || '')),
      el('td', { class: 'num' }, t.duration_ms ? duration(t.duration_ms) : ''),
      el('td', { class: 'actions' },
        el('button', { type: 'button', 'aria-label': `Add ${title} to the queue`, onclick: async () => app.player.add(await full(t)) }, '+ Queue'),
        el('button', { type: 'button', 'aria-label': `Add ${title} to a playlist`, onclick: () => addToPlaylist(id, title) }, '+ Playlist'),
        el('button', { type: 'button', 'aria-label': `Save ${title} to the library`, onclick: () => save('tracks', id, title) }, 'Save'),
        opts.extra ? opts.extra(t, i) : null));
  });
  return el('table', { class: 'tracks' },
    el('thead', {}, el('tr', {}, ['#', 'Title', 'Artist', 'Album', 'Time', 'Actions'].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows));
}

// full returns the track with its stream URLs (search hits lack them).
export async function full(t) {
  return t.stream_urls ? t : fetchTrack(t.track_id || t.id);
}

async function addToPlaylist(trackID, title) {
  const p = await pickPlaylist(`Add ${title} to a playlist`);
  if (!p) return;
  try {
    await call('POST', `/api/v1/playlists/${encodeURIComponent(p.id)}/tracks`, { track_ids: [trackID] });
    announce(`Added ${title} to ${p.name}`);
  } catch (e) {
    announce(`Could not add ${title}: ${e.message}`);
  }
}

// save puts an item in the library (kind: tracks, albums or artists).
export async function save(kind, id, name, remove = false) {
  try {
    await call(remove ? 'DELETE' : 'PUT', `/api/v1/me/library/${kind}`, { ids: [id] });
    announce(remove ? `Removed ${name} from the library` : `Saved ${name} to the library`);
  } catch (e) {
    announce(`Could not save ${name}: ${e.message}`);
  }
}

// myPlaylists lists the caller's playlists (first page).
export async function myPlaylists() {
  return (await get('/api/v1/me/playlists?limit=100')).items;
}
