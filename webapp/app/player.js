// The player: a queue of tracks (and podcast episodes) played through the gapless Web Audio
// output (app/output.js), the next track always decoded and scheduled
// ahead, with ReplayGain per track (track gain, or album gain when a
// whole album is queued).
import { track as fetchTrack } from './api.js';
import { el, show, duration, announce, artistNames } from './dom.js';
import { Reporter } from './reports.js';
import { Output, StreamError } from './output.js';
import { streamURL, rungOf } from './rung.js';
import { fetchEpisode, episodeItem, ResumePoints } from './episodes.js';

const $ = (id) => document.getElementById(id);

export class Player {
  constructor() {
    this.audio = new Output();
    this.queue = [];       // tracks as the API returns them
    this.order = [];       // indexes into queue, shuffled or not
    this.pos = -1;         // place in order
    this.shuffle = false;
    this.repeat = 'off';   // off | all | one
    this.albumGain = false;
    this.reporter = new Reporter(this.audio);
    this.resume = new ResumePoints(this);
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
    // data-audio says whether sound flows (tests and styles read it).
    a.addEventListener('statechange', () => { $('player').dataset.audio = a.ctx.state; });
    a.addEventListener('ended', () => {
      this.reporter.finish(true);
      this.next(true);
    });
    a.addEventListener('advance', () => this.advanced());
    a.addEventListener('playing', () => this.showGap());
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
    if (this.pos < 0) { this.pos = this.order.length - 1; this.start(); } else this.prefetch();
  }

  get current() { return this.queue[this.order[this.pos]]; }

  // start plays the current track from second at; follows: it comes
  // right after one that ran out (not a listener's choice).
  async start(at = 0, follows = false, retried = false) {
    const t = this.current;
    if (!t) return;
    const url = streamURL(t);
    this.reporter.start(t, `${rungOf(url)}kbps`);
    this.showTrack(t);
    try {
      await this.audio.load(url, this.gainOf(t), { at, follows });
      await this.audio.play();
      this.prefetch();
    } catch (e) {
      if (e.name === 'AbortError') return;
      if (e instanceof StreamError && !retried && await this.refresh(t)) return this.start(at, follows, true);
      announce(`Could not play ${t.title}: ${e.message}`);
    }
  }

  // refresh fetches t again for fresh signed stream URLs (they expire,
  // or the session lapsed mid-playback); true if it got them.
  async refresh(t) {
    try {
      const fresh = t.kind === 'episode' ? episodeItem(await fetchEpisode(t.episode_id), t.show) : await fetchTrack(t.track_id);
      this.queue.forEach((q, i) => { if (q === t) this.queue[i] = fresh; });
      return true;
    } catch {
      return false;
    }
  }

  // prefetch decodes the track that plays next and schedules it on the
  // audio clock where the current one ends.
  async prefetch(retried = false) {
    const i = this.nextPos(true);
    if (i < 0) { this.audio.dropNext(); return; }
    const t = this.queue[this.order[i]];
    try {
      await this.audio.setNext(streamURL(t), this.gainOf(t));
    } catch (e) {
      if (e instanceof StreamError && !retried && await this.refresh(t)) this.prefetch(true);
    }
  }

  // advanced follows the output onto the next track, already sounding.
  advanced() {
    this.reporter.finish(true);
    this.pos = this.nextPos(true);
    const t = this.current;
    this.reporter.start(t, `${rungOf(this.audio.src)}kbps`);
    this.showTrack(t);
    this.showGap();
    this.prefetch();
  }

  // nextPos is the place in order that plays after this one (-1: none);
  // auto: the current track ran out, so repeat-one plays it again.
  nextPos(auto) {
    if (auto && this.repeat === 'one') return this.pos;
    if (this.pos + 1 < this.order.length) return this.pos + 1;
    if (this.repeat === 'all' && this.order.length) return 0;
    return -1;
  }

  toggle() {
    if (!this.current) return;
    if (this.audio.paused) this.audio.play(); else this.audio.pause();
  }

  next(auto = false) {
    const i = this.nextPos(auto);
    if (i < 0) { if (auto) this.showPlaying(false); return; }
    this.pos = i;
    this.start(0, auto);
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
    this.prefetch();
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
    this.prefetch();
  }

  toggleQueue() {
    const panel = $('queue-panel');
    panel.hidden = !panel.hidden;
    $('btn-queue').setAttribute('aria-expanded', String(!panel.hidden));
    $('btn-queue').setAttribute('aria-label', panel.hidden ? 'Show queue' : 'Hide queue');
  }

  // gainOf is t's ReplayGain factor (album gain when a whole album is
  // queued), never past its peak.
  gainOf(t) {
    const rg = t.replay_gain || {};
    const db = this.albumGain ? rg.album_gain_db : rg.track_gain_db;
    const peak = this.albumGain ? rg.album_peak : rg.track_peak;
    const g = Math.pow(10, (db || 0) / 20);
    return peak > 0 ? Math.min(g, 1 / peak) : g;
  }

  showTrack(t) {
    $('now-title').textContent = t.title;
    $('now-artist').textContent = artistNames(t);
    $('player').hidden = false;
    this.renderQueue();
  }

  // showGap publishes the silence at the last track change, in ms on the
  // audio clock (data-gap-ms: the browser test reads it).
  showGap() {
    if (this.audio.gapMs !== null) $('player').dataset.gapMs = this.audio.gapMs.toFixed(3);
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
    $('player').dataset.position = a.currentTime.toFixed(2);
  }

  showPlaying(on) {
    const b = $('btn-play');
    b.textContent = on ? '❚❚' : '▶';
    b.setAttribute('aria-label', on ? 'Pause' : 'Play');
    $('player').dataset.state = on ? 'playing' : 'paused';
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
