// Playlists: the list with a create form, and one playlist with rename,
// reorder (move up and down), remove and live updates from its event
// stream. Edits carry If-Match; on a 409 the playlist is re-read and the
// same edit is re-applied on the new version, so the user's edit is never
// silently dropped.
import { call, get, track, ApiError } from '../api.js';
import { el, announce } from '../dom.js';
import { link, go } from '../router.js';
import { trackTable } from '../tracks.js';

export async function playlistsView() {
  const ps = (await get('/api/v1/me/playlists?limit=100')).items;
  const name = el('input', { id: 'create-playlist-name', required: true, maxlength: 200 });
  return [
    el('h1', {}, 'Playlists'),
    el('form', { onsubmit: async (e) => {
      e.preventDefault();
      const p = (await call('POST', '/api/v1/playlists', { name: name.value.trim() })).data;
      go(link.playlist(p.id));
    } }, el('label', { for: 'create-playlist-name' }, 'New playlist name'), ' ', name, ' ', el('button', { type: 'submit' }, 'Create playlist')),
    ps.length ? el('ul', {}, ps.map((p) => el('li', {}, el('a', { href: link.playlist(p.id) }, p.name), ` · ${p.track_count} songs`)))
      : el('p', {}, 'No playlists yet.'),
  ];
}

// entriesOf reads every entry of a playlist, 100 (the API's page
// limit) at a time.
async function entriesOf(path) {
  const first = await get(`${path}/tracks?limit=100`);
  while (first.items.length < first.total) {
    const next = await get(`${path}/tracks?limit=100&offset=${first.items.length}`);
    if (!next.items.length) break;
    first.items.push(...next.items);
  }
  return first;
}

// events is the open event stream of the playlist on screen.
let events = null;

export async function playlistView(app, route) {
  const id = encodeURIComponent(route.id);
  const path = `/api/v1/playlists/${id}`;
  const [p, page] = await Promise.all([get(path), entriesOf(path)]);
  const entries = page.items;
  const tracks = await Promise.all(entries.map((e) => track(e.track_id).catch(() => ({ track_id: e.track_id, title: '(not available)' }))));
  let version = page.version;

  // edit sends a write with If-Match. On a 409 it re-reads the playlist
  // and re-applies the same edit, named by entry IDs, on the new version,
  // unless an entry it names was removed meanwhile: then the user is told
  // why the edit cannot apply. blocker(live) names that entry, if any.
  const edit = async (method, sub, body, what, blocker = () => '') => {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await call(method, path + sub, body, { 'If-Match': `"${version}"` });
        announce(what);
        break;
      } catch (e) {
        if (!(e instanceof ApiError) || e.status !== 409 || attempt === 2) { announce(`${what} failed: ${e.message}`); break; }
        const fresh = await entriesOf(path);
        version = fresh.version;
        const gone = blocker(new Set(fresh.items.map((x) => x.entry_id)));
        if (gone) { announce(`${what} could not apply: ${gone} was removed from the playlist on another device`); break; }
      }
    }
    await app.refresh();
  };
  // removedOf names the first of these entries that is no longer live.
  const removedOf = (...is) => (live) => {
    const i = is.find((k) => k >= 0 && !live.has(entries[k].entry_id));
    return i === undefined ? '' : tracks[i].title;
  };
  const move = (i, to) => {
    const body = { entry_ids: [entries[i].entry_id] };
    const others = entries.filter((_, k) => k !== i);
    let anchor = -1;
    if (to === 0) body.position = 0;
    else { body.after = others[to - 1].entry_id; anchor = entries.indexOf(others[to - 1]); }
    return edit('POST', '/tracks/move', body, `Moved ${tracks[i].title} to position ${to + 1}`, removedOf(i, anchor));
  };
  const rowButtons = (t, i) => [
    el('button', { type: 'button', 'aria-label': `Move ${t.title} up`, disabled: i === 0, onclick: () => move(i, i - 1) }, '↑'),
    el('button', { type: 'button', 'aria-label': `Move ${t.title} down`, disabled: i === entries.length - 1, onclick: () => move(i, i + 1) }, '↓'),
    el('button', { type: 'button', 'aria-label': `Remove ${t.title} from the playlist`, onclick: () => edit('DELETE', '/tracks', { entry_ids: [entries[i].entry_id] }, `Removed ${t.title}`) }, '✕'),
  ];
  const rename = el('input', { id: 'rename-playlist', value: p.name, required: true, maxlength: 200 });
  follow(app, route.id, path, version);
  return [
    el('h1', {}, p.name),
    el('p', { class: 'muted' }, `${entries.length} songs`),
    el('p', {}, el('button', { type: 'button', disabled: !tracks.length, onclick: () => app.player.play(tracks.filter((t) => t.stream_urls), 0) }, `Play playlist ${p.name}`)),
    el('form', { onsubmit: (e) => { e.preventDefault(); edit('PATCH', '', { name: rename.value.trim() }, `Renamed to ${rename.value.trim()}`); } },
      el('label', { for: 'rename-playlist' }, 'Playlist name'), ' ', rename, ' ', el('button', { type: 'submit' }, 'Rename')),
    p.owner_id === app.user?.id && collaboratorsForm(p, edit),
    tracks.length ? trackTable(app, tracks, { play: (i) => app.player.play(tracks, i), extra: rowButtons }) : el('p', {}, 'This playlist is empty.'),
  ];
}

// follow re-renders the playlist on every change another device or
// collaborator makes, while it is on screen; changes up to the version
// shown (our own edits) are skipped.
function follow(app, id, path, version) {
  if (events?.id !== id) {
    events?.source.close();
    const source = new EventSource(`${path}/events?since=${version}`);
    events = { id, source, version };
    source.addEventListener('change', (e) => {
      if (JSON.parse(e.data).version > events.version) app.refresh();
    });
    window.addEventListener('hashchange', () => { if (events?.source === source) { source.close(); events = null; } }, { once: true });
  }
  events.version = version;
}

// collaboratorsForm lists the playlist's collaborators, each with a button
// that removes them, and adds one by user ID (the API names users by ID;
// there is no lookup by name). Only the owner sees it: only the owner may
// change collaborators.
function collaboratorsForm(p, edit) {
  const who = el('input', { id: 'add-collaborator', required: true, maxlength: 200 });
  // After a removal its button is gone with the re-render: the focus goes
  // to the add field of the same section, not to the top of the page.
  const remove = async (c) => {
    await edit('DELETE', `/collaborators/${encodeURIComponent(c)}`, undefined, `Removed collaborator ${c}`);
    document.getElementById('add-collaborator')?.focus();
  };
  return el('section', { 'aria-labelledby': 'h-collaborators' },
    el('h2', { id: 'h-collaborators' }, 'Collaborators'),
    p.collaborators?.length
      ? el('ul', {}, p.collaborators.map((c) => el('li', {}, el('span', {}, c), ' ',
        el('button', { type: 'button', 'aria-label': `Remove collaborator ${c}`, onclick: () => remove(c) }, 'Remove'))))
      : el('p', {}, 'No collaborators yet.'),
    el('form', { onsubmit: (e) => {
      e.preventDefault();
      const id = who.value.trim();
      edit('PUT', `/collaborators/${encodeURIComponent(id)}`, undefined, `Added collaborator ${id}`);
    } }, el('label', { for: 'add-collaborator' }, 'Collaborator user ID'), ' ', who, ' ', el('button', { type: 'submit' }, 'Add collaborator')));
}
