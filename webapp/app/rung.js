// The rung to stream, chosen from measured throughput the way
// serving/client does (its RungFor and Estimator): fixed thresholds on an
// estimate that falls at once to a slower sample and rises as a moving
// average. Each whole-track fetch (app/output.js) is one sample.

// Bits per second of measured throughput (serving/client/abr.go):
// above 500 kbps 320, 200–500 kbps 160, 100–200 kbps 96, below that 24.
const above320 = 500_000;
const above160 = 200_000;
const above96 = 100_000;

// firstRung is asked for before anything was measured.
const firstRung = '160';

// newestWeight is the share of the newest sample when the estimate rises.
const newestWeight = 0.5;

export function rungFor(bps) {
  if (bps > above320) return '320';
  if (bps >= above160) return '160';
  if (bps >= above96) return '96';
  return '24';
}

// Throughput is the estimate in bits per second (null: none yet).
export class Throughput {
  constructor() { this.bps = null; }

  // add records bytes that took seconds to arrive.
  add(bytes, seconds) {
    if (bytes <= 0 || seconds <= 0) return;
    const sample = (bytes * 8) / seconds;
    if (this.bps === null || sample < this.bps) this.bps = sample;
    else this.bps = newestWeight * sample + (1 - newestWeight) * this.bps;
  }

  rung() { return this.bps === null ? firstRung : rungFor(this.bps); }
}

// throughput is the page's one estimate: every stream fetch feeds it.
export const throughput = new Throughput();

// streamURL is t's signed URL at the rung the estimate picks, else at
// the nearest rung the track has, else its preview.
export function streamURL(t, rung = throughput.rung()) {
  const urls = t.stream_urls || {};
  if (urls[rung]) return urls[rung];
  const nearest = Object.keys(urls).sort((a, b) => Math.abs(a - rung) - Math.abs(b - rung));
  return nearest.length ? urls[nearest[0]] : t.preview_url;
}

// rungOf reads the rung from a stream URL (…/160.ogg?…).
export function rungOf(url) {
  const m = /\/(24|96|160|320)\.ogg/.exec(url || '');
  return m ? m[1] : firstRung;
}
