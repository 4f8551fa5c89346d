// The audio output, on the AudioContext clock. Each track is fetched
// whole, decoded by the browser (decodeAudioData) and played by an
// AudioBufferSourceNode, so the next track can be started on the very
// sample the current one ends: gapless. A track started by the listener
// first sounds from its first Ogg pages, decoded alone in a few ms, and
// moves to the whole decoded track on the same sample once it is ready (docs/webplayer.md says why not
// <audio> or MediaSource). To the player it looks like a media element:
// play, pause, currentTime, duration, paused, ended, volume and the
// events play, playing, pause, timeupdate, seeking, durationchange and
// ended, plus "advance" when it moved on to the queued next track with
// no gap, and "statechange" of the AudioContext.
import { throughput, rungOf } from './rung.js';
import { oggPrefix } from './oggprefix.js';

// tickMs is how often the position is published and the end looked for.
const tickMs = 250;

// startSeconds is how much of a track is decoded first, by its rung's
// bitrate, while the whole is decoded: 0.8 to 3.7 s for a five-minute
// track on the loaded test VM.
const startSeconds = 10;

// switchLeadS is how far ahead the move from the start to the whole
// decoded track is scheduled, so both nodes meet on one sample.
const switchLeadS = 0.05;

// StreamError is a stream request that failed, with its HTTP status (0:
// no answer), so the player can fetch fresh signed URLs and try again.
export class StreamError extends Error {
  constructor(status, url) {
    super(status ? `stream answered ${status}` : 'stream unreachable');
    this.status = status;
    this.url = url;
  }
}

export class Output extends EventTarget {
  constructor() {
    super();
    this.ctx = null;
    this.out = null;       // the volume node, before the speakers
    this.cur = null;       // { url, buffer, gain, whole }: the track playing or ready;
                           // whole: the full decode on its way while buffer is the start
    this.next = null;      // the same for the track after it, with at once scheduled
    this.offset = 0;       // seconds into cur while paused
    this.startedAt = 0;    // the clock time of cur's second 0 while playing
    this.sounding = [];    // { src, gain } nodes started or scheduled
    this.paused = true;
    this.ended = false;
    this.endedAt = null;   // the clock time the last track ran out
    this.gapMs = null;     // next start minus previous end at the last track change
    this.vol = 1;
    this.loads = 0;        // bumps on each load: a slower older one is dropped
    this.timer = 0;
  }

  get src() { return this.cur?.url || ''; }
  // duration is unknown (NaN) until the whole track is decoded.
  get duration() { return this.cur && !this.cur.whole ? this.cur.buffer.duration : NaN; }

  // known is the length so far: a seek or the clock cannot pass it.
  get known() { return this.cur && !this.cur.whole ? this.cur.buffer.duration : Infinity; }

  get currentTime() {
    if (this.paused || !this.cur) return this.offset;
    return Math.min(Math.max(this.ctx.currentTime - this.startedAt, 0), this.known);
  }

  set currentTime(t) {
    this.offset = Math.max(0, Math.min(Number(t) || 0, this.known));
    this.ended = false;
    this.endedAt = null;
    if (!this.paused && this.cur) {
      this.silence();
      this.soundFrom(this.ctx.currentTime, this.offset);
      this.scheduleNext();
    }
    this.emit('seeking');
    this.emit('timeupdate');
  }

  get volume() { return this.vol; }
  set volume(v) {
    this.vol = v;
    if (this.out) this.out.gain.value = v;
  }

  // context makes the AudioContext once; it may only start sounding
  // after a user gesture, which play is.
  context() {
    if (!this.ctx) {
      this.ctx = new AudioContext();
      this.ctx.addEventListener('statechange', () => this.emit('statechange'));
      this.out = this.ctx.createGain();
      this.out.gain.value = this.vol;
      this.out.connect(this.ctx.destination);
    }
    return this.ctx;
  }

  // load makes url the current track, paused at second at. gain is its
  // ReplayGain factor. follows: it comes right after the one that ran out
  // (so the gap between them is measured).
  async load(url, gain, { at = 0, follows = false } = {}) {
    const n = ++this.loads;
    this.pauseQuietly();
    if (!follows) this.endedAt = null;
    const ready = [this.cur, this.next].find((x) => x?.url === url && x.buffer);
    this.dropNext();
    this.cur = null;
    this.offset = at;
    this.ended = false;
    const got = ready ? { buffer: ready.buffer, whole: ready.whole || null } : await this.decodeStartFirst(await this.fetch(url), url);
    if (n !== this.loads) throw new DOMException('another track was loaded', 'AbortError');
    this.cur = { url, buffer: got.buffer, gain, whole: got.whole };
    this.offset = at;
    if (got.whole) this.completeLater(this.cur);
    this.emit('durationchange');
  }

  // completeLater moves x from its start to the whole decoded track: at
  // the same sample when the start is still sounding, else where the
  // clock is (a seek past the start, or a start that ran out).
  async completeLater(x) {
    let whole;
    try {
      whole = await x.whole;
    } catch {
      whole = x.buffer; // the start is all there is
    }
    x.whole = null;
    const start = x.buffer;
    x.buffer = whole;
    if (x !== this.cur || this.paused) {
      if (x === this.cur) this.emit('durationchange');
      return;
    }
    const at = this.ctx.currentTime + switchLeadS;
    const offset = at - this.startedAt;
    if (offset < start.duration) {
      for (const s of this.sounding) if (s.x === x) s.src.stop(at);
      this.sound(x, at, offset);
    } else {
      this.silence(x);
      this.soundFrom(this.ctx.currentTime, Math.min(offset, whole.duration));
    }
    this.emit('durationchange');
    this.scheduleNext();
  }

  // setNext fetches and decodes url to follow the current track, and
  // schedules it at the current one's last sample.
  async setNext(url, gain) {
    if (this.next?.url === url) { this.next.gain = gain; return; }
    this.dropNext();
    const want = { url, gain, buffer: null, at: null };
    this.next = want;
    try {
      want.buffer = this.cur?.url === url ? await (this.cur.whole || this.cur.buffer)
        : await this.context().decodeAudioData(await this.fetch(url));
    } catch (e) {
      if (this.next === want) this.next = null;
      throw e;
    }
    if (this.next === want) this.scheduleNext();
  }

  dropNext() {
    if (this.next?.at != null) this.silence(this.next);
    this.next = null;
  }

  // fetch gets the bytes of url, one throughput sample.
  async fetch(url) {
    this.context();
    const t0 = performance.now();
    let res;
    try {
      res = await fetch(url, { credentials: 'same-origin' });
    } catch {
      throw new StreamError(0, url);
    }
    if (!res.ok) throw new StreamError(res.status, url);
    const bytes = await res.arrayBuffer();
    throughput.add(bytes.byteLength, (performance.now() - t0) / 1000);
    return bytes;
  }

  // decodeStartFirst decodes the first pages of a long track alone, and
  // then the whole of it: { buffer: the start, whole: a promise }, or
  // { buffer: the whole, whole: null } for a short one.
  async decodeStartFirst(bytes, url) {
    const ctx = this.context();
    const cut = oggPrefix(new Uint8Array(bytes), (Number(rungOf(url)) * 1000 / 8) * startSeconds);
    if (cut >= bytes.byteLength) return { buffer: await ctx.decodeAudioData(bytes), whole: null };
    const buffer = await ctx.decodeAudioData(bytes.slice(0, cut));
    return { buffer, whole: ctx.decodeAudioData(bytes) };
  }

  async play() {
    const ctx = this.context();
    await ctx.resume();
    if (!this.cur || !this.paused) return;
    if (this.ended) { this.offset = 0; this.ended = false; }
    this.paused = false;
    const when = ctx.currentTime;
    if (this.endedAt !== null) { this.gapMs = (when - this.endedAt) * 1000; this.endedAt = null; }
    this.soundFrom(when, this.offset);
    this.scheduleNext();
    clearInterval(this.timer);
    this.timer = setInterval(() => this.tick(), tickMs);
    this.emit('play');
    this.emit('playing');
  }

  pause() {
    if (this.pauseQuietly()) this.emit('pause');
  }

  // pauseQuietly stops the sound and keeps the position; true if it was playing.
  pauseQuietly() {
    if (this.paused) return false;
    this.offset = this.currentTime;
    this.paused = true;
    this.endedAt = null;
    clearInterval(this.timer);
    this.silence();
    return true;
  }

  // soundFrom plays the current track from offset at clock time when;
  // past the decoded start, the clock runs on in silence until the whole
  // track is decoded (completeLater).
  soundFrom(when, offset) {
    if (offset < this.cur.buffer.duration) this.sound(this.cur, when, offset);
    else this.startedAt = when - offset;
  }

  // sound starts track x at clock time when, from second offset in.
  sound(x, when, offset) {
    const src = this.ctx.createBufferSource();
    src.buffer = x.buffer;
    const gain = this.ctx.createGain();
    gain.gain.value = x.gain;
    src.connect(gain).connect(this.out);
    src.start(when, offset);
    const node = { src, gain, x };
    this.sounding.push(node);
    src.addEventListener('ended', () => {
      gain.disconnect();
      this.sounding = this.sounding.filter((s) => s !== node);
    });
    if (x === this.cur) this.startedAt = when - offset;
    else x.at = when;
  }

  // scheduleNext starts the decoded next track where the current ends;
  // if that moment has passed, at once (the gap then shows in gapMs).
  scheduleNext() {
    const x = this.next;
    if (this.paused || !this.cur || this.cur.whole || !x?.buffer || x.at != null) return;
    this.sound(x, Math.max(this.startedAt + this.duration, this.ctx.currentTime), 0);
  }

  // silence stops the nodes of x, or of every track.
  silence(x) {
    for (const s of this.sounding) {
      if (x && s.x !== x) continue;
      try { s.src.stop(); } catch { /* never started */ }
      s.gain.disconnect();
    }
    this.sounding = x ? this.sounding.filter((s) => s.x !== x) : [];
    for (const y of [this.cur, this.next]) if (y && (!x || y === x)) y.at = null;
  }

  // tick publishes the position and, past the current track's end, moves
  // to the scheduled next one or ends.
  tick() {
    if (this.paused || !this.cur) return;
    const end = this.startedAt + this.cur.buffer.duration;
    if (this.ctx.currentTime >= end && !this.cur.whole) {
      const x = this.next;
      if (x?.at != null) {
        this.gapMs = (x.at - end) * 1000;
        this.cur = x;
        this.next = null;
        this.startedAt = x.at;
        this.emit('durationchange');
        this.emit('advance');
        this.emit('playing');
      } else {
        this.offset = this.cur.buffer.duration;
        this.paused = true;
        this.ended = true;
        this.endedAt = end;
        clearInterval(this.timer);
        this.emit('timeupdate');
        this.emit('pause');
        this.emit('ended');
        return;
      }
    }
    this.emit('timeupdate');
  }

  emit(type) { this.dispatchEvent(new Event(type)); }
}
