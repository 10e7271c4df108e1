import { EMOTION, type Performance, type Scene } from '@stagecraft/sdk';
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

  /** Adds the NPC's line as its subtitles arrive (a generated line is written while it is spoken). */
  private async reply(p: Performance): Promise<void> {
    const name = this.scene?.state.cast.get(p.npcId)?.name || p.npcId;
    const entry = this.add('npc', name, '');
    const [who, text] = [entry.querySelector('b'), entry.querySelector('span')];
    for await (const s of p.subtitles) {
      if (text) text.textContent = `${text.textContent ? `${text.textContent} ` : ''}${s.text}`;
      this.transcript.scrollTop = this.transcript.scrollHeight;
    }
    const end = await p.ended;
    if (!end.text && !text?.textContent) {
      entry.remove();
      return;
    }
    const emotion = EMOTION.fromWire(end.emotion);
    if (who) who.textContent = `${name}${emotion ? ` (${emotion})` : ''}`;
    if (text && end.text) text.textContent = end.text;
  }

  private add(kind: 'player' | 'npc', who: string, text: string): HTMLElement {
    const entry = el('div', { class: kind }, el('b', {}, who), ' ', el('span', {}, text));
    this.transcript.append(entry);
    this.transcript.scrollTop = this.transcript.scrollHeight;
    return entry;
  }
}
