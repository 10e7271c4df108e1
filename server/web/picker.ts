import { el, section } from './dom.js';

interface SceneList {
  scenes: { id: string; title: string; cast: number }[];
  problems: { file: string; problems: string[]; keptPrevious?: boolean }[];
  live: { roomId: string; sceneId: string; clients: number }[];
}

/** Scene files and live scenes from /api/scenes; join one as observer or game, or leave. */
export class ScenePicker {
  readonly element = section('Scene', 'picker');
  private readonly select = el('select', { id: 'scene-id' });
  private readonly role = el(
    'select',
    { id: 'role' },
    el('option', { value: 'observer' }, 'observer'),
    el('option', { value: 'game' }, 'game'),
  );
  private readonly joinButton = el('button', { id: 'join' }, 'Join');
  private readonly leaveButton = el('button', { id: 'leave', disabled: '' }, 'Leave');
  private readonly info = el('div', { class: 'dim' });

  constructor(onJoin: (sceneId: string, role: 'observer' | 'game') => Promise<void>, onLeave: () => Promise<void>) {
    const refresh = el('button', {}, 'Refresh');
    refresh.onclick = () => void this.refresh();
    this.joinButton.onclick = async () => {
      this.joinButton.disabled = true;
      try {
        await onJoin(this.select.value, this.role.value as 'observer' | 'game');
        this.leaveButton.disabled = false;
      } catch (e) {
        this.info.textContent = (e as Error).message;
        this.joinButton.disabled = false;
      }
    };
    this.leaveButton.onclick = async () => {
      await onLeave();
      this.leaveButton.disabled = true;
      this.joinButton.disabled = false;
      void this.refresh();
    };
    this.element.append(
      el('div', { class: 'row' }, this.select, this.role, this.joinButton, this.leaveButton, refresh),
      this.info,
    );
  }

  async refresh(): Promise<void> {
    try {
      const list = (await (await fetch('/api/scenes')).json()) as SceneList;
      const live = new Map(list.live.map((l) => [l.sceneId, l.clients]));
      const current = this.select.value;
      this.select.replaceChildren(
        ...list.scenes.map((s) => {
          const clients = live.get(s.id);
          const label = `${s.title} (${s.id}, ${s.cast} cast)${clients !== undefined ? ` · live, ${clients} clients` : ''}`;
          return el('option', { value: s.id }, label);
        }),
      );
      if (current) this.select.value = current;
      const problems = list.problems.flatMap((p) =>
        p.keptPrevious ? [`${p.file} (previous version in use)`, ...p.problems] : p.problems,
      );
      this.info.textContent = problems.length ? `scene files with problems: ${problems.join(' · ')}` : '';
    } catch (e) {
      this.info.textContent = `could not list scenes: ${(e as Error).message}`;
    }
  }
}
