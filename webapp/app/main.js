// The web player's entry point: sign-in, routing, search suggestions.
import { session, signOut, get } from './api.js';
import { el, show, announce } from './dom.js';
import { current, go, link } from './router.js';
import { Player } from './player.js';
import { ConnectDevice } from './connect.js';
import { loginView } from './views/login.js';
import { homeView } from './views/home.js';
import { searchView } from './views/search.js';
import { albumView } from './views/album.js';
import { artistView } from './views/artist.js';
import { libraryView } from './views/library.js';
import { playlistsView, playlistView } from './views/playlist.js';
import { podcastView } from './views/podcast.js';

const views = {
  home: homeView, search: searchView, album: albumView, artist: artistView,
  library: libraryView, playlists: playlistsView, playlist: playlistView, podcast: podcastView,
};

const main = document.getElementById('main');
const app = { player: null, device: null, user: null, refresh: () => render(false) };

// render shows the current route; focus moves to the new heading on
// navigation so keyboard and screen-reader users land on the content.
async function render(moveFocus = true) {
  const route = current();
  const view = views[route.view] || homeView;
  main.setAttribute('aria-busy', 'true');
  try {
    const content = await view(app, route);
    // A refresh (a live update, the user's own edit) replaces the page
    // under the keyboard: keep the focus on the replacement of the
    // control that had it, named as it was just before the swap.
    const keep = moveFocus ? null : focusedControl();
    show(main, content);
    if (keep) main.querySelector(keep)?.focus();
  } catch (e) {
    if (e.status === 401) return;
    show(main, el('h1', {}, 'Something went wrong'), el('p', { role: 'alert' }, e.message));
  } finally {
    main.removeAttribute('aria-busy');
  }
  const h1 = main.querySelector('h1');
  h1?.setAttribute('tabindex', '-1');
  if (moveFocus) (h1 || main).focus();
}

// focusedControl is a selector for the control in main that has the
// focus, by its id or else its accessible name, or null.
function focusedControl() {
  const a = document.activeElement;
  if (!a || a === main || !main.contains(a)) return null;
  if (a.id) return `#${CSS.escape(a.id)}`;
  const label = a.getAttribute('aria-label');
  return label ? `${a.localName}[aria-label="${CSS.escape(label)}"]` : null;
}

async function signedIn(user) {
  app.user = user;
  document.getElementById('who').textContent = user.name;
  document.querySelector('header.top').hidden = false;
  app.device.open();
  await render();
}

// signIn shows the login form, keeping the route in the hash.
async function signIn() {
  document.querySelector('header.top').hidden = true;
  app.player?.audio.pause();
  await signedIn(await loginView(main));
}

function bindSearch() {
  const form = document.getElementById('search-form');
  const input = document.getElementById('search-input');
  const list = document.getElementById('suggestions');
  let timer = 0;
  let asked = '';
  // close also drops an answer still on its way, so it cannot reopen the list.
  const close = () => { clearTimeout(timer); asked = ''; list.hidden = true; input.setAttribute('aria-expanded', 'false'); };
  form.addEventListener('submit', (e) => { e.preventDefault(); close(); if (input.value.trim()) go(link.search(input.value.trim())); });
  input.addEventListener('keydown', (e) => {
    const options = [...list.querySelectorAll('[role=option]')];
    if (e.key === 'Escape') close();
    if (e.key === 'ArrowDown' && options.length && !list.hidden) { e.preventDefault(); options[0].focus(); }
  });
  list.addEventListener('keydown', (e) => {
    const options = [...list.querySelectorAll('[role=option]')];
    const i = options.indexOf(document.activeElement);
    if (e.key === 'ArrowDown' && i + 1 < options.length) { e.preventDefault(); options[i + 1].focus(); }
    if (e.key === 'ArrowUp') { e.preventDefault(); (i > 0 ? options[i - 1] : input).focus(); }
    if (e.key === 'Escape') { close(); input.focus(); }
  });
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2) { close(); return; }
    timer = setTimeout(async () => {
      asked = q;
      const r = await get(`/api/v1/search/suggest?q=${encodeURIComponent(q)}`).catch(() => null);
      if (asked !== q || !r) return;
      const seen = new Set();
      const items = r.suggestions.filter((h) => !seen.has(h.title) && seen.add(h.title)).slice(0, 8);
      show(list, items.map((h) => el('li', { role: 'option', tabindex: '-1', 'aria-selected': 'false',
        onclick: () => pick(h.title), onkeydown: (e) => { if (e.key === 'Enter') { e.preventDefault(); pick(h.title); } } }, h.title)));
      list.hidden = !items.length;
      input.setAttribute('aria-expanded', String(items.length > 0));
    }, 120);
  });
  form.addEventListener('focusout', (e) => { if (!form.contains(e.relatedTarget)) close(); });
  const pick = (title) => { input.value = title; close(); go(link.search(title)); };
}

async function start() {
  app.player = new Player();
  app.device = new ConnectDevice(app.player);
  bindSearch();
  window.addEventListener('hashchange', () => { if (app.user) render(); });
  window.addEventListener('signed-out', () => { if (app.user) { app.user = null; app.device.close(); announce('Your session ended; sign in again'); signIn(); } });
  document.getElementById('sign-out').addEventListener('click', async () => {
    app.player.audio.pause();
    app.player.reporter.finish(false); // while the session still counts
    app.device.close();
    await signOut().catch(() => {});
    app.user = null;
    location.hash = '#/';
    signIn();
  });
  const user = await session();
  if (user) await signedIn(user); else await signIn();
}

start();
