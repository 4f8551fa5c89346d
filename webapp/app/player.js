// The player: a queue of tracks played through one <audio> element, with
// ReplayGain applied by a Web Audio gain node (track gain, or album gain
// when a whole album is queued).
import { track as fetchTrack } from './api.js';
import { el, show, duration, announce, artistNames } from './dom.js';
import { Reporter } from './reports.js';

// preferredRung is the Vorbis rung asked for first; a missing one falls
// back to the nearest available.
const preferredRung = '160';

const $ = (id) => document.getElementById(id);

export class Player {
  constructor() {
    this.audio = $('audio');
    this.queue = [];       // tracks as the API returns them
    this.order = [];       // indexes into queue, shuffled or not
    this.pos = -1;         // place in order
    this.shuffle = false;
    this.repeat = 'off';   // off | all | one
    this.albumGain = false;
    this.retried = false;
    this.ctx = null;
    this.gain = null;
    this.reporter = new Reporter(this.audio);
    this.bind();
  }

  bind() {
    const a = this.audio;
    $('btn-play').addEventListener('click', () => this.toggle());
    $('btn-next').addEventListener('click', () => this.next());
    $('btn-prev').addEventListener('click', () => this.previous());
    $('btn-shuffle').addEventListener('click', () => this.setShuffle(!this.shuffle));
    $('btn-repeat').addEventListener('click', () => this.cycleRepeat());
    $('btn-queue').addEventListener('click', () => this.toggleQueue());
    $('seek').addEventListener('input', (e) => { a.currentTime = Number(e.target.value); });
    $('volume').addEventListener('input', (e) => { a.volume = Number(e.target.value); });
    a.addEventListener('timeupdate', () => this.showTime());
    a.addEventListener('durationchange', () => this.showTime());
    a.addEventListener('play', () => this.showPlaying(true));
    a.addEventListener('pause', () => this.showPlaying(false));
    a.addEventListener('ended', () => {
      this.reporter.finish(true);
      if (this.repeat === 'one') this.start(); else this.next(true);
    });
    a.addEventListener('error', () => this.recover());
    a.addEventListener('playing', () => { this.retried = false; });
  }

  // play replaces the queue with tracks and starts at index start.
  // at (seconds) starts partway in: a transfer from another device.
  play(tracks, start = 0, { album = false, at = 0 } = {}) {
    this.queue = tracks.slice();
    this.albumGain = album;
    this.order = tracks.map((_, i) => i);
    if (this.shuffle) this.shuffleOrder(start);
    this.pos = this.shuffle ? 0 : start;
    this.renderQueue();
    return this.start(at);
  }

  // add puts a track at the end of the queue.
  add(t) {
    this.queue.push(t);
    this.order.push(this.queue.length - 1);
    this.renderQueue();
    announce(`Added ${t.title} to the queue`);
    if (this.pos < 0) { this.pos = this.order.length - 1; this.start(); }
  }

  get current() { return this.queue[this.order[this.pos]]; }

  async start(at = 0) {
    const t = this.current;
    if (!t) return;
    this.ensureAudioGraph();
    this.applyGain(t);
    this.audio.src = streamURL(t);
    if (at > 0) this.audio.currentTime = at;
    this.reporter.start(t, `${rungOf(this.audio.src)}kbps`);
    $('now-title').textContent = t.title;
    $('now-artist').textContent = artistNames(t);
    $('player').hidden = false;
    this.renderQueue();
    try {
      await this.ctx?.resume();
      await this.audio.play();
    } catch (e) {
      if (e.name !== 'AbortError') announce(`Could not play ${t.title}: ${e.message}`);
    }
  }

  // recover refetches the track once after a failed stream: its signed
  // URL may have expired or the session lapsed mid-playback.
  async recover() {
    const t = this.current;
    if (!t || this.retried) { announce('Playback failed'); return; }
    this.retried = true;
    const at = this.audio.currentTime;
    try {
      const fresh = await fetchTrack(t.track_id);
      this.queue[this.order[this.pos]] = fresh;
      this.audio.src = streamURL(fresh);
      this.audio.currentTime = at;
      await this.audio.play();
    } catch (e) {
      announce(`Playback failed: ${e.message}`);
    }
  }

  toggle() {
    if (!this.current) return;
    if (this.audio.paused) { this.ctx?.resume(); this.audio.play(); } else this.audio.pause();
  }

  next(auto = false) {
    if (this.pos + 1 < this.order.length) this.pos++;
    else if (this.repeat === 'all' && this.order.length) this.pos = 0;
    else { if (auto) this.showPlaying(false); return; }
    this.start();
  }

  previous() {
    if (this.audio.currentTime > 3 || this.pos <= 0) { this.audio.currentTime = 0; return; }
    this.pos--;
    this.start();
  }

  setShuffle(on) {
    this.shuffle = on;
    $('btn-shuffle').setAttribute('aria-pressed', String(on));
    const playing = this.order[this.pos];
    if (on) this.shuffleOrder(playing);
    else this.order = this.queue.map((_, i) => i);
    this.pos = Math.max(0, this.order.indexOf(playing));
    this.renderQueue();
  }

  // shuffleOrder shuffles the order, keeping first (a queue index) first.
  shuffleOrder(first) {
    const rest = this.queue.map((_, i) => i).filter((i) => i !== first);
    for (let i = rest.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [rest[i], rest[j]] = [rest[j], rest[i]];
    }
    this.order = first === undefined || first < 0 ? rest : [first, ...rest];
  }

  cycleRepeat() {
    this.repeat = { off: 'all', all: 'one', one: 'off' }[this.repeat];
    $('btn-repeat').setAttribute('aria-label', `Repeat: ${this.repeat}`);
    $('btn-repeat').setAttribute('aria-pressed', String(this.repeat !== 'off'));
  }

  toggleQueue() {
    const panel = $('queue-panel');
    panel.hidden = !panel.hidden;
    $('btn-queue').setAttribute('aria-expanded', String(!panel.hidden));
    $('btn-queue').setAttribute('aria-label', panel.hidden ? 'Show queue' : 'Hide queue');
  }

  // ensureAudioGraph routes the element through a gain node, once; the
  // AudioContext may only start after a user gesture, which play is.
  ensureAudioGraph() {
    if (this.ctx || !window.AudioContext) return;
    this.ctx = new AudioContext();
    // data-audio says whether sound flows (tests and styles read it).
    this.ctx.addEventListener('statechange', () => { $('player').dataset.audio = this.ctx.state; });
    this.gain = this.ctx.createGain();
    this.ctx.createMediaElementSource(this.audio).connect(this.gain).connect(this.ctx.destination);
  }

  // applyGain sets the ReplayGain of t, never past its peak.
  applyGain(t) {
    if (!this.gain) return;
    const rg = t.replay_gain || {};
    const db = this.albumGain ? rg.album_gain_db : rg.track_gain_db;
    const peak = this.albumGain ? rg.album_peak : rg.track_peak;
    let g = Math.pow(10, (db || 0) / 20);
    if (peak > 0) g = Math.min(g, 1 / peak);
    this.gain.gain.value = g;
  }

  showTime() {
    const a = this.audio;
    const total = Number.isFinite(a.duration) ? a.duration : (this.current?.duration_ms || 0) / 1000;
    const seek = $('seek');
    seek.max = String(Math.floor(total));
    seek.value = String(Math.floor(a.currentTime));
    seek.setAttribute('aria-valuetext', `${duration(a.currentTime * 1000)} of ${duration(total * 1000)}`);
    $('time-now').textContent = duration(a.currentTime * 1000);
    $('time-total').textContent = duration(total * 1000);
  }

  showPlaying(on) {
    const b = $('btn-play');
    b.textContent = on ? '❚❚' : '▶';
    b.setAttribute('aria-label', on ? 'Pause' : 'Play');
  }

  renderQueue() {
    show($('queue-list'), this.order.map((qi, i) => {
      const t = this.queue[qi];
      return el('li', { 'aria-current': i === this.pos ? 'true' : null },
        el('button', { type: 'button', 'aria-label': `Play ${t.title} from the queue`, onclick: () => { this.pos = i; this.start(); } },
          t.title), ' ', el('span', { class: 'muted' }, artistNames(t)));
    }));
  }
}

// rungOf reads the rung from a stream URL (…/160.ogg?…); 160 if unknown.
function rungOf(url) {
  const m = /\/(24|96|160|320)\.ogg/.exec(url);
  return m ? m[1] : preferredRung;
}

// streamURL picks the preferred rung, else the nearest one.
export function streamURL(t) {
  const urls = t.stream_urls || {};
  if (urls[preferredRung]) return urls[preferredRung];
  const rungs = Object.keys(urls).map(Number).sort((a, b) => Math.abs(a - 160) - Math.abs(b - 160));
  return rungs.length ? urls[String(rungs[0])] : t.preview_url;
}
