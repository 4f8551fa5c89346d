// Connect: this page is one of the listener's devices (docs/connect.md).
// It reports what the listener plays here, obeys play, pause and seek
// commands (a transfer from another device or `musicctl player`), and
// lists the other devices to move playback to.
import { call, get, track as fetchTrack } from './api.js';
import { el, show, announce } from './dom.js';

export class ConnectDevice {
  constructor(player) {
    this.player = player;
    // A fresh ID per page load: the player keeps nothing in web storage.
    this.id = `web-${crypto.randomUUID().slice(0, 8)}`;
    this.name = `Web player ${this.id.slice(4)}`;
    this.ws = null;
    this.heartbeat = 0;
    this.closed = true;
    this.backoff = 250;
    // Set while a command is applied, so its own play or pause is not
    // reported back as the listener's.
    this.quietPlay = false;
    this.quietPause = false;
    const a = player.audio;
    a.addEventListener('playing', () => {
      if (this.quietPlay) { this.quietPlay = false; return; }
      const t = player.current;
      // Connect plays tracks only: an episode here is not announced.
      if (t && t.kind !== 'episode') this.send({ type: 'playing', track_id: t.track_id, position_ms: Math.floor(a.currentTime * 1000) });
    });
    a.addEventListener('pause', () => {
      if (this.quietPause) { this.quietPause = false; return; }
      if (!a.ended) this.send({ type: 'paused', position_ms: Math.floor(a.currentTime * 1000) });
    });
    window.addEventListener('pagehide', () => this.close());
    document.getElementById('player').dataset.device = this.name;
    document.getElementById('btn-devices').addEventListener('click', () => this.chooseDevice());
  }

  // open connects with a one-time ticket (browsers cannot send headers
  // on a WebSocket) and reconnects with backoff when the socket drops.
  async open() {
    this.closed = false;
    let ticket;
    try {
      ticket = (await call('POST', '/api/v1/me/connect/ticket')).data.ticket;
    } catch (e) {
      if (e.status !== 401) this.retry();
      return;
    }
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${location.host}/api/v1/me/connect?ticket=${encodeURIComponent(ticket)}`);
    this.ws = ws;
    ws.addEventListener('open', () => {
      this.backoff = 250;
      ws.send(JSON.stringify({ type: 'register', device: { device_id: this.id, name: this.name, type: 'web' } }));
    });
    ws.addEventListener('message', (m) => this.handle(JSON.parse(m.data)));
    ws.addEventListener('close', (e) => {
      clearInterval(this.heartbeat);
      if (this.ws === ws) this.ws = null;
      // 4409: this device connected again elsewhere; 4403: not ours.
      if (!this.closed && e.code !== 4409 && e.code !== 4403 && e.code !== 1000) this.retry();
    });
  }

  retry() {
    if (this.closed) return;
    setTimeout(() => this.open(), this.backoff * (1 + Math.random() / 2));
    this.backoff = Math.min(this.backoff * 2, 2000);
  }

  close() {
    this.closed = true;
    this.ws?.close(1000);
  }

  send(msg) {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
  }

  handle(msg) {
    if (msg.type === 'welcome') {
      clearInterval(this.heartbeat);
      this.heartbeat = setInterval(() => this.send({ type: 'heartbeat' }), msg.heartbeat_ms || 20000);
    } else if (msg.type === 'event' && msg.command) {
      this.apply(msg.command);
    }
  }

  async apply(c) {
    const a = this.player.audio;
    if (c.action === 'play') {
      const t = await fetchTrack(c.track_id);
      this.quietPlay = true;
      await this.player.play([t], 0, { at: (c.position_ms || 0) / 1000 });
      announce(`Playing ${t.title} here`);
    } else if (c.action === 'pause' && !a.paused) {
      this.quietPause = true;
      a.pause();
      this.player.reporter.finish(false); // the play moved on, or was stopped, elsewhere
    } else if (c.action === 'seek') {
      a.currentTime = (c.position_ms || 0) / 1000;
    }
  }

  // chooseDevice lists the listener's other devices to play on.
  async chooseDevice() {
    const list = el('ul', { class: 'picker' });
    const dialog = el('dialog', { 'aria-label': 'Play on another device', onclose: () => dialog.remove() },
      el('h2', {}, 'Play on another device'), el('p', {}, `This browser is ${this.name}.`), list,
      el('button', { type: 'button', onclick: () => dialog.close() }, 'Close'));
    document.body.append(dialog);
    dialog.showModal();
    try {
      const devices = (await get('/api/v1/me/player/devices')).devices.filter((d) => d.id !== this.id);
      show(list, devices.length ? devices.map((d) => el('li', {}, el('button', { type: 'button', onclick: async () => {
        dialog.close();
        try {
          await call('PUT', '/api/v1/me/player', { device_ids: [d.id], play: true });
          announce(`Playing on ${d.name}`);
        } catch (e) {
          announce(`Could not move playback: ${e.message}`);
        }
      } }, `Play on ${d.name}`))) : el('li', {}, 'No other device is online.'));
    } catch (e) {
      show(list, el('li', { role: 'alert' }, e.message));
    }
  }
}
