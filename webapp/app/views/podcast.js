// A podcast's page: the show, follow or unfollow, and its episodes,
// newest first. Playing an episode fetches it (fresh stream URLs and the
// listener's resume point) and starts where the listener left off.
import { call, get } from '../api.js';
import { el, duration, announce } from '../dom.js';
import { fetchEpisode, episodeItem } from '../episodes.js';

export async function podcastView(app, route) {
  const id = encodeURIComponent(route.id);
  const [show, eps, followed] = await Promise.all([
    get(`/api/v1/podcasts/${id}`), get(`/api/v1/podcasts/${id}/episodes?limit=50`),
    get('/api/v1/me/podcasts?limit=100').catch(() => null),
  ]);
  const following = { on: !!followed?.items?.some((s) => s.id === show.id) };
  const follow = el('button', { type: 'button', onclick: () => toggleFollow(show, following, follow) });
  showFollow(show, following, follow);
  return [
    el('h1', {}, show.title),
    el('p', { class: 'muted' }, [show.author, show.explicit ? 'Explicit' : ''].filter(Boolean).join(' · ')),
    el('p', {}, follow),
    show.description ? el('p', { class: 'description' }, show.description) : null,
    el('h2', {}, 'Episodes'),
    eps.items.length ? el('ul', { class: 'episodes' }, eps.items.map((e) => episodeRow(app, show, e)))
      : el('p', {}, 'No episodes published yet.'),
  ];
}

function showFollow(show, following, button) {
  button.textContent = following.on ? 'Unfollow' : 'Follow';
  button.setAttribute('aria-label', `${following.on ? 'Unfollow' : 'Follow'} ${show.title}`);
}

async function toggleFollow(show, following, button) {
  try {
    await call(following.on ? 'DELETE' : 'PUT', `/api/v1/me/podcasts/${encodeURIComponent(show.id)}`);
    following.on = !following.on;
    showFollow(show, following, button);
    announce(following.on ? `Following ${show.title}` : `Unfollowed ${show.title}`);
  } catch (e) {
    announce(`Could not change following ${show.title}: ${e.message}`);
  }
}

function episodeRow(app, show, e) {
  const date = e.published_at ? e.published_at.slice(0, 10) : '';
  return el('li', {},
    el('button', { type: 'button', class: 'play', 'aria-label': `Play ${e.title}`, onclick: () => playEpisode(app, show, e) }, '▶'),
    ' ', el('span', { class: 'title' }, e.title),
    el('span', { class: 'muted' }, [date, e.duration_ms ? duration(e.duration_ms) : ''].filter(Boolean).map((x) => ` · ${x}`).join('')),
    e.description ? el('p', { class: 'muted' }, e.description) : null);
}

// playEpisode plays e from the listener's resume point (a finished
// episode from its start).
async function playEpisode(app, show, e) {
  try {
    const ep = await fetchEpisode(e.id);
    const at = !ep.completed && ep.resume_position_ms ? ep.resume_position_ms / 1000 : 0;
    if (at) announce(`Resuming ${ep.title} at ${duration(at * 1000)}`);
    await app.player.play([episodeItem(ep, show)], 0, { at });
  } catch (err) {
    announce(`Could not play ${e.title}: ${err.message}`);
  }
}
