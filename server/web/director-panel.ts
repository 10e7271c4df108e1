import { Decision, DirectorMode, OUTCOME, PACING_MODE, type Scene } from '@stagecraft/sdk';
import { el, section } from './dom.js';
import type { Panel } from './panel.js';

const fmtMs = (ms: number) => `${Math.floor(ms / 60000)}:${String(Math.floor((ms / 1000) % 60)).padStart(2, '0')}`;

/** Phase, clock, pause/resume, the director's status, intensity curve, and the last decisions. */
export class DirectorPanel implements Panel {
  readonly element = section('Scene and director', 'director');
  private readonly facts = el('dl');
  private readonly curve = el('canvas', { width: '600', height: '60' });
  private readonly recent = el('div', { class: 'recent' });
  private readonly intensity: number[] = [];
  private offs: (() => void)[] = [];

  constructor() {
    this.element.append(this.facts, this.curve, el('h2', {}, 'Last decisions'), this.recent);
  }

  attach(scene: Scene): void {
    const pause = el('button', {}, 'Pause');
    const resume = el('button', {}, 'Resume');
    pause.onclick = () => scene.pause();
    resume.onclick = () => scene.resume();
    this.element.insertBefore(el('div', { class: 'row controls' }, pause, resume), this.facts);
    this.render(scene);
    this.offs = [
      scene.on('state', () => this.render(scene)),
      scene.on('verdict', (v) =>
        this.note(`verdict ${Decision[v.decision]} ${v.proposalId} · rule ${v.ruleId || '—'} · ${v.reason}`),
      ),
      scene.on('directive', (d) =>
        this.note(`directive → ${d.npcId}: aggression ${d.aggression?.toFixed(2) ?? '—'} · rule ${d.ruleId}`),
      ),
    ];
  }

  detach(): void {
    for (const off of this.offs) off();
    this.element.querySelector('.controls')?.remove();
    this.facts.replaceChildren();
    this.recent.replaceChildren();
    this.intensity.length = 0;
  }

  private note(text: string): void {
    this.recent.prepend(el('div', { class: 'dim' }, text));
    while (this.recent.childElementCount > 8) this.recent.lastElementChild?.remove();
  }

  private render(scene: Scene): void {
    const s = scene.state;
    const d = s.director;
    const rows: [string, string][] = [
      ['scene', `${s.title} (${s.sceneId})`],
      ['phase', s.phase],
      ['clock', `${fmtMs(s.clockMs)}${s.paused ? ' · paused' : ''}`],
      ['director', d ? (DirectorMode[d.mode] ?? '').toLowerCase() : '—'],
      ['pack', d?.packId || 'none'],
      ['pacing', (d && PACING_MODE.fromWire(d.pacing)) ?? '—'],
      ['intensity', d ? d.intensity.toFixed(2) : '—'],
      ['verdicts', d ? `${d.verdicts} (${d.rewrites} rewritten, ${d.vetoes} vetoed)` : '—'],
      ['next deadline', d?.nextDeadlineMs ? fmtMs(d.nextDeadlineMs) : '—'],
      ['outcome', d?.outcome ? `${OUTCOME.fromWire(d.outcome)} (${d.resolvedBy})` : '—'],
    ];
    this.facts.replaceChildren(...rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
    if (d) {
      this.intensity.push(d.intensity);
      if (this.intensity.length > 200) this.intensity.shift();
      this.drawCurve();
    }
  }

  private drawCurve(): void {
    const g = this.curve.getContext('2d');
    if (!g) return;
    const { width, height } = this.curve;
    g.clearRect(0, 0, width, height);
    g.strokeStyle = '#e0a84c';
    g.beginPath();
    this.intensity.forEach((v, i) => {
      const x = (i / 199) * width;
      const y = height - v * (height - 4) - 2;
      if (i === 0) g.moveTo(x, y);
      else g.lineTo(x, y);
    });
    g.stroke();
  }
}
