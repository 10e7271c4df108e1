import type { Performance, Scene } from '@stagecraft/sdk';
import { el, section } from './dom.js';
import type { Panel } from './panel.js';

/** Talk to an NPC as a player and read the conversation: player lines and the NPCs' replies. */
export class TalkPanel implements Panel {
  readonly element = section('Talk', 'talk');
  private readonly npc = el('select');
  private readonly line = el('input', { type: 'text', value: 'Good evening! Any rooms left?', size: '40' });
  private readonly transcript = el('div', { class: 'transcript' });
  private offs: (() => void)[] = [];

  constructor() {
    const talk = el('button', {}, 'Talk');
    talk.onclick = () => this.send();
    this.line.onkeydown = (e) => {
      if (e.key === 'Enter') this.send();
    };
    this.element.append(el('div', { class: 'row' }, this.npc, this.line, talk), this.transcript);
  }

  private scene: Scene | undefined;

  attach(scene: Scene): void {
    this.scene = scene;
    this.npc.replaceChildren(
      ...[...scene.state.cast.values()].map((m) => el('option', { value: m.id }, m.name || m.id)),
    );
    this.offs = [
      scene.on('playerLine', (p) => this.add('player', `${p.playerId} → ${p.npcId}`, p.text)),
      scene.on('performance', (p) => void this.reply(p)),
    ];
  }

  detach(): void {
    for (const off of this.offs) off();
    this.scene = undefined;
    this.transcript.replaceChildren();
  }

  private send(): void {
    this.scene?.sayTo(this.npc.value, this.line.value);
  }

  /** Adds the NPC's line once it has been spoken (a generated line is known only as it ends). */
  private async reply(p: Performance): Promise<void> {
    const end = await p.ended;
    if (!end.text) return;
    const name = this.scene?.state.cast.get(p.npcId)?.name || p.npcId;
    this.add('npc', `${name}${end.emotion ? ` (${end.emotion})` : ''}`, end.text);
  }

  private add(kind: 'player' | 'npc', who: string, text: string): void {
    this.transcript.append(el('div', { class: kind }, el('b', {}, who), ' ', text));
    this.transcript.scrollTop = this.transcript.scrollHeight;
  }
}
