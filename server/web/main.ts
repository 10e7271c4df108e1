import { connect, type Scene } from '@stagecraft/sdk';
import { CastPanel } from './cast-panel.js';
import { DirectorPanel } from './director-panel.js';
import { LogPanel } from './log-panel.js';
import type { Panel } from './panel.js';
import { ScenePicker } from './picker.js';
import { TalkPanel } from './talk-panel.js';
import { VoicePanel } from './voice-panel.js';

const status = document.getElementById('status') as HTMLElement;
const root = document.getElementById('panels') as HTMLElement;
const log = new LogPanel();
const panels: Panel[] = [new CastPanel(), new DirectorPanel(), new TalkPanel(), new VoicePanel(), log];
let scene: Scene | undefined;

async function join(sceneId: string, role: 'observer' | 'game'): Promise<void> {
  await leave();
  log.sent('join', { sceneId, role });
  const joined = await connect(location.origin).joinScene(sceneId, { name: 'inspector', role });
  scene = joined;
  status.textContent = `${joined.state.title} · ${role} · session ${joined.sessionId}`;
  for (const p of panels) p.attach(joined);
  log.sent('joined', { sceneId, version: joined.state.version });
  joined.on('error', (e) => log.error(`error ${e.codeName}: ${e.message}`));
  joined.on('reconnecting', ({ code }) => (status.textContent = `reconnecting (code ${code})…`));
  joined.on('reconnected', () => (status.textContent = `${joined.state.title} · reconnected`));
  joined.on('leave', ({ code }) => {
    status.textContent = `left (code ${code})`;
    for (const p of panels) p.detach();
  });
  const send = joined.send.bind(joined);
  joined.send = (message) => {
    log.sent(message.body?.case ?? 'message', message.body?.value);
    send(message);
  };
}

async function leave(): Promise<void> {
  if (!scene) return;
  const s = scene;
  scene = undefined;
  await s.leave().catch(() => undefined);
}

const picker = new ScenePicker(join, leave);
root.append(picker.element, ...panels.map((p) => p.element));
void picker.refresh();
