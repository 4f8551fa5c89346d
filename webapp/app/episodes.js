// Podcast episodes in the player: an episode from the API becomes a
// queue item the player plays like a track, and its resume point is
// saved on the server (PUT /api/v1/me/episodes/{id}/position) while it
// plays, when it pauses, when another item starts and when the page
// closes.
import { call, get } from './api.js';

// saveEvery is how often, in seconds of playback, the resume point is
// saved while an episode plays.
const saveEvery = 10;

export const fetchEpisode = (id) => get(`/api/v1/episodes/${encodeURIComponent(id)}`);

// episodeItem is ep as a queue item: the show's title where a track
// shows its artist, and no ReplayGain (episodes are encoded normalised).
export function episodeItem(ep, show) {
  return {
    kind: 'episode', episode_id: ep.id, title: ep.title, duration_ms: ep.duration_ms,
    stream_urls: ep.stream_urls, artist: { name: show.title }, show,
  };
}

// ResumePoints saves the playing episode's position.
export class ResumePoints {
  constructor(player) {
    this.player = player;
    this.item = null;   // the episode last seen playing
    this.at = 0;        // its position, seconds
    this.saved = -1;    // the position last saved
    const a = player.audio;
    a.addEventListener('timeupdate', () => this.tick());
    a.addEventListener('pause', () => this.save());
    window.addEventListener('pagehide', () => this.save(true));
  }

  // tick follows the position, saving every saveEvery seconds, and saves
  // the one before when another item starts.
  tick() {
    const t = this.player.current;
    if (t !== this.item) {
      this.save();
      this.item = t?.kind === 'episode' ? t : null;
      this.saved = -1;
    }
    if (!this.item || this.player.audio.paused) return;
    this.at = this.player.audio.currentTime;
    if (Math.abs(this.at - this.saved) >= saveEvery) this.save();
  }

  // save stores the position unless it is stored already.
  save(unloading = false) {
    const e = this.item;
    if (e && this.player.current === e) this.at = this.player.audio.currentTime;
    if (!e || Math.floor(this.at) === Math.floor(this.saved)) return;
    this.saved = this.at;
    const ms = Math.min(Math.round(this.at * 1000), e.duration_ms ?? Infinity);
    call('PUT', `/api/v1/me/episodes/${encodeURIComponent(e.episode_id)}/position`, { position_ms: ms }, {}, { keepalive: unloading })
      .catch(() => { this.saved = -1; }); // tried again at the next save
  }
}
