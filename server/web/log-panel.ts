import type { Scene, ServerMessage } from '@stagecraft/sdk';
import { el, section } from './dom.js';
import type { Panel } from './panel.js';

const MAX_LINES = 500;

/** Every message received and sent; media are summarised per performance, never dumped. */
export class LogPanel implements Panel {
  readonly element = section('Event log', 'events', true);
  private readonly log = el('div', { id: 'log' });
  private readonly media = new Map<
    string,
    { line: HTMLElement; time: string; counts: Record<string, number>; ms: number }
  >();
  private off: (() => void) | undefined;

  constructor() {
    this.element.append(this.log);
  }

  attach(scene: Scene): void {
    // The join's snapshot arrived before this panel could listen: show what it held.
    const s = scene.state;
    this.add(
      `← snapshot ${compact({ sceneId: s.sceneId, version: s.version, phase: s.phase, cast: [...s.cast.keys()] })}`,
      '',
    );
    this.off = scene.on('message', (m) => this.received(m));
  }

  detach(): void {
    this.off?.();
    this.media.clear();
  }

  /** Notes a message this client sent. */
  sent(kind: string, detail: unknown): void {
    this.add(`→ ${kind} ${compact(detail)}`, 'out');
  }

  error(text: string): void {
    this.add(text, 'err');
  }

  private received(m: ServerMessage): void {
    const kind = m.body.case ?? 'unknown';
    const value = m.body.value as { performanceId?: string; durationMs?: number } | undefined;
    if (value?.performanceId && ['audio', 'phonemes', 'visemes', 'face', 'cue'].includes(kind)) {
      this.summarise(value.performanceId, kind, value.durationMs ?? 0);
      return;
    }
    this.add(`← ${kind}${m.requestId ? ` [${m.requestId}]` : ''} ${compact(value)}`, kind === 'error' ? 'err' : '');
  }

  private summarise(id: string, kind: string, ms: number): void {
    let entry = this.media.get(id);
    if (!entry) {
      entry = { line: this.add('', ''), time: clock(), counts: {}, ms: 0 };
      this.media.set(id, entry);
    }
    entry.counts[kind] = (entry.counts[kind] ?? 0) + 1;
    if (kind === 'audio') entry.ms += ms;
    const parts = Object.entries(entry.counts).map(([k, n]) => `${k} ×${n}`);
    entry.line.textContent = `${entry.time} ← media of ${id.slice(0, 8)}: ${parts.join(', ')}, ${entry.ms} ms of audio`;
  }

  private add(text: string, cls: string): HTMLElement {
    const stick = this.log.scrollTop + this.log.clientHeight >= this.log.scrollHeight - 4;
    const line = el('div', { class: cls }, `${clock()} ${text}`);
    this.log.append(line);
    while (this.log.childElementCount > MAX_LINES) this.log.firstElementChild?.remove();
    if (stick) this.log.scrollTop = this.log.scrollHeight;
    return line;
  }
}

function clock(): string {
  return new Date().toISOString().slice(11, 23);
}

function compact(value: unknown): string {
  const text = JSON.stringify(value, (k, v) => {
    if (k === '$typeName') return undefined;
    if (v instanceof Uint8Array) return `<${v.byteLength} bytes>`;
    if (typeof v === 'bigint') return v.toString();
    return v;
  });
  return text && text.length > 400 ? `${text.slice(0, 400)}…` : (text ?? '');
}
