// A modal dialog to choose a playlist or create one; keyboard first:
// <dialog> keeps focus inside and Escape closes it.
import { call, get } from './api.js';
import { el, show } from './dom.js';

// pickPlaylist resolves to the chosen playlist, or null when cancelled.
export function pickPlaylist(title) {
  return new Promise(async (resolve) => {
    const list = el('ul', { class: 'picker' });
    const name = el('input', { id: 'new-playlist-name', type: 'text', required: true, maxlength: 200 });
    let done = false;
    const finish = (p) => { if (!done) { done = true; dialog.close(); dialog.remove(); resolve(p); } };
    const dialog = el('dialog', { 'aria-label': title, onclose: () => finish(null) },
      el('h2', {}, title), list,
      el('form', { onsubmit: async (e) => {
        e.preventDefault();
        const p = (await call('POST', '/api/v1/playlists', { name: name.value.trim() })).data;
        finish(p);
      } },
      el('label', { for: 'new-playlist-name' }, 'New playlist name'), ' ', name, ' ',
      el('button', { type: 'submit' }, 'Create and add')),
      el('button', { type: 'button', onclick: () => finish(null) }, 'Cancel'));
    document.body.append(dialog);
    dialog.showModal();
    try {
      const ps = (await get('/api/v1/me/playlists?limit=100')).items;
      show(list, ps.map((p) => el('li', {}, el('button', { type: 'button', onclick: () => finish(p) }, `Add to ${p.name}`))));
    } catch (e) {
      show(list, el('li', { role: 'alert' }, e.message));
    }
  });
}
