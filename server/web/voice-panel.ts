import type { Performance, Scene } from '@stagecraft/sdk';
import { el, section } from './dom.js';
import { drawFace } from './face-view.js';
import type { Panel } from './panel.js';

const VISEMES = ['sil', 'PP', 'FF', 'TH', 'DD', 'kk', 'CH', 'SS', 'nn', 'RR', 'aa', 'E', 'ih', 'oh', 'ou'];
type Viseme = { startMs: number; endMs: number; viseme: number };
/** Audio is scheduled this far behind its first chunk, ms, to absorb network jitter. */
const JITTER_MS = 120;

/** Say a line as an NPC, hear every performance, and watch its viseme track as it plays. */
export class VoicePanel implements Panel {
  readonly element = section('Voice', 'voice');
  private readonly npc = el('select');
  private readonly text = el('input', { type: 'text', value: 'Welcome to the Rusty Flagon, stranger.', size: '40' });
  private readonly now = el('div', { class: 'dim now-playing' }, 'nothing playing');
  /** The clause being heard, from the performance's subtitles. */
  private readonly subtitle = el('div', { class: 'subtitle' });
  private readonly track = el('canvas', { width: '600', height: '60' });
  private readonly face = el('canvas', { width: '240', height: '240', class: 'face' });
  /** Scrubs the last performance: face and track at that instant, ms. */
  private readonly scrub = el('input', { type: 'range', min: '0', max: '0', value: '0', class: 'scrub' });
  private audio: AudioContext | undefined;
  private offs: (() => void)[] = [];
  private last: { p: Performance; visemes: Viseme[] } | undefined;

  constructor() {
    this.element.append(this.now, this.subtitle, this.track, el('div', { class: 'row' }, this.face, this.scrub));
    this.scrub.disabled = true;
    this.scrub.oninput = () => this.last && this.show(this.last.p, this.last.visemes, Number(this.scrub.value));
  }

  attach(scene: Scene): void {
    this.npc.replaceChildren(...[...scene.state.cast.keys()].map((id) => el('option', { value: id }, id)));
    const say = el('button', {}, 'Say');
    const stop = el('button', {}, 'Stop');
    say.onclick = () => {
      this.audio ??= new AudioContext();
      scene.say(this.npc.value, this.text.value).catch((e: Error) => (this.now.textContent = e.message));
    };
    stop.onclick = () => scene.stop({ npcId: this.npc.value });
    this.element.insertBefore(el('div', { class: 'row controls' }, this.npc, this.text, say, stop), this.now);
    this.offs = [scene.on('performance', (p) => void this.play(p))];
  }

  detach(): void {
    for (const off of this.offs) off();
    this.element.querySelector('.controls')?.remove();
    this.now.textContent = 'nothing playing';
  }

  private async play(p: Performance): Promise<void> {
    const says = (text: string) => `${p.npcId}: “${text}” (${p.start.engine}, ${p.start.voice})`;
    this.now.textContent = says(p.text || '…');
    const ctx = this.audio;
    let t0: number | undefined;
    const visemes: Viseme[] = [];
    this.last = { p, visemes };
    this.scrub.disabled = true;
    void (async () => {
      for await (const v of p.visemes) visemes.push(...v.visemes);
    })();
    const draw = () => {
      const at = ctx && t0 !== undefined ? (ctx.currentTime - t0) * 1000 : 0;
      // Another line took over, or this one ended and the scrub draws it now: a frame the page
      // deferred (background pages get few) must not paint over what the scrub shows.
      if (this.last?.p !== p || !this.scrub.disabled) return;
      this.show(p, visemes, at);
      this.subtitle.textContent = p.subtitleAt(at)?.text ?? '';
      if (!p.end) requestAnimationFrame(draw);
    };
    requestAnimationFrame(draw);
    for await (const chunk of p.audio) {
      if (!ctx) continue;
      const samples = new Int16Array(
        chunk.pcm.buffer.slice(chunk.pcm.byteOffset, chunk.pcm.byteOffset + chunk.pcm.byteLength),
      );
      if (samples.length === 0) continue;
      const buffer = ctx.createBuffer(1, samples.length, chunk.sampleRate);
      const data = buffer.getChannelData(0);
      for (let i = 0; i < samples.length; i++) data[i] = (samples[i] ?? 0) / 32768;
      t0 ??= ctx.currentTime + JITTER_MS / 1000;
      const source = ctx.createBufferSource();
      source.buffer = buffer;
      source.connect(ctx.destination);
      source.start(Math.max(ctx.currentTime, t0 + chunk.startMs / 1000));
    }
    const end = await p.ended;
    this.scrub.max = String(end.durationMs);
    this.scrub.disabled = false;
    this.now.textContent = `${says(end.text || p.text)} · ended ${end.reason === 1 ? 'completed' : end.reason === 2 ? 'interrupted' : 'failed'}, ${end.durationMs} ms`;
  }

  /** Face and viseme track of `p` at `atMs` on its clock. */
  private show(p: Performance, visemes: Viseme[], atMs: number): void {
    this.drawTrack(visemes, atMs);
    const label = `${p.npcId} · ${p.emotion || 'neutral'} · ${Math.round(atMs)} ms`;
    drawFace(this.face, p.facePlayer.namedWeightsAt(atMs), label);
    this.face.dataset.ms = String(Math.round(atMs));
  }

  private drawTrack(visemes: Viseme[], atMs: number): void {
    const g = this.track.getContext('2d');
    if (!g) return;
    const { width, height } = this.track;
    const spanMs = Math.max(1000, visemes.at(-1)?.endMs ?? 1000);
    g.clearRect(0, 0, width, height);
    g.font = '10px monospace';
    for (const v of visemes) {
      const x = (v.startMs / spanMs) * width;
      const w = Math.max(1, ((v.endMs - v.startMs) / spanMs) * width);
      g.fillStyle = v.viseme === 0 ? '#2c313a' : `hsl(${v.viseme * 24}, 45%, 45%)`;
      g.fillRect(x, 14, w - 1, height - 18);
      g.fillStyle = '#e3e6eb';
      if (w > 14) g.fillText(VISEMES[v.viseme] ?? '?', x + 2, 10);
    }
    g.fillStyle = '#e0a84c';
    g.fillRect((atMs / spanMs) * width, 0, 2, height);
  }
}
