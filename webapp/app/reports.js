// Playback reports: each play of a track or an episode is sent once it ends, is
// skipped or the page is left, with the time actually listened. A report
// keeps its event_id through retries, so the server stores it once.
import { call } from './api.js';

// deviceID names this page for the listener's plays (a fresh one per
// page load: the player keeps nothing in web storage).
const deviceID = `web-${crypto.randomUUID()}`;
const sessionID = crypto.randomUUID();

export class Reporter {
  constructor(audio) {
    this.audio = audio;
    this.play = null;
    this.last = 0;
    audio.addEventListener('timeupdate', () => this.tick());
    audio.addEventListener('seeking', () => { this.last = audio.currentTime; });
    window.addEventListener('pagehide', () => this.finish(false, true));
  }

  // start begins the play of track or episode t (ending the one before).
  start(t, quality) {
    this.finish(false);
    const what = t.kind === 'episode' ? { kind: 'episode', episode_id: t.episode_id } : { track_id: t.track_id };
    this.play = { event_id: crypto.randomUUID(), what, played_at: new Date().toISOString(), ms: 0, quality };
    this.last = 0;
  }

  // tick adds the time listened since the last update; seeks don't count.
  tick() {
    const now = this.audio.currentTime;
    if (this.play && !this.audio.paused && now > this.last && now - this.last < 2) this.play.ms += (now - this.last) * 1000;
    this.last = now;
  }

  // finish sends the play's report, if anything was heard; unloading:
  // the page is going away, and the request must outlive it.
  finish(completed, unloading = false) {
    const p = this.play;
    this.play = null;
    if (!p || p.ms < 1) return;
    send({
      event_id: p.event_id, ...p.what, session_id: sessionID, device_id: deviceID,
      played_at: p.played_at, duration_listened_ms: Math.round(p.ms), completed, quality: p.quality,
    }, 0, unloading);
  }
}

// send posts a report, retrying a 503 or a lost connection with the same
// event_id (three tries, a second apart).
async function send(report, attempt, keepalive = false) {
  try {
    await call('POST', '/api/v1/playback/report', report, {}, { keepalive });
  } catch (e) {
    if ((e.status === undefined || e.status === 503) && attempt < 2) setTimeout(() => send(report, attempt + 1), 1000);
  }
}
