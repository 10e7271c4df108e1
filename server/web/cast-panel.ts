import { type Scene, Stance, Tier } from '@stagecraft/sdk';
import { el, section } from './dom.js';
import type { Panel } from './panel.js';

const name = (e: Record<number, string>, v: number) => (e[v] ?? String(v)).toLowerCase();

/** The cast: tier, stance, speaking, present. */
export class CastPanel implements Panel {
  readonly element = section('Cast', 'cast');
  private readonly body = el('tbody');
  private off: (() => void) | undefined;

  constructor() {
    const head = el('tr', {}, ...['npc', 'tier', 'stance', 'speaking', 'present'].map((h) => el('th', {}, h)));
    this.element.append(el('table', {}, el('thead', {}, head), this.body));
  }

  attach(scene: Scene): void {
    this.render(scene);
    this.off = scene.on('state', () => this.render(scene));
  }

  detach(): void {
    this.off?.();
    this.body.replaceChildren();
  }

  private render(scene: Scene): void {
    this.body.replaceChildren(
      ...[...scene.state.cast.values()].map((m) =>
        el(
          'tr',
          { class: m.speaking ? 'speaking' : '', 'data-npc': m.id },
          el('td', {}, `${m.name} `, el('span', { class: 'dim' }, m.id)),
          el('td', {}, name(Tier, m.tier)),
          el('td', {}, name(Stance, m.stance)),
          el('td', {}, m.speaking ? '● speaking' : ''),
          el('td', {}, m.present ? 'yes' : 'no'),
        ),
      ),
    );
  }
}
