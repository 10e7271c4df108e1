import { Client } from '@colyseus/sdk';
import { type ClientRole, SCENE_ROOM } from '@stagecraft/protocol';
import { StagecraftError } from './errors.js';
import { Scene } from './scene.js';

export interface ConnectOptions {
  /** Automatic reconnection after a dropped connection (on by default). */
  reconnect?: {
    enabled?: boolean;
    maxRetries?: number;
    /** A scene must have been joined this long before a drop is retried, ms (default 5000). */
    minUptimeMs?: number;
  };
}

export interface JoinOptions {
  /** Display name shown to other clients. */
  name?: string;
  /** `game` (the engine), `player` (default) or `observer` (read-only). */
  role?: ClientRole;
  /** Join token, when the server requires one. */
  token?: string;
  /**
   * `pcm16` (default) or `opus`: how audio travels. Opus is about a tenth of the bytes; the SDK
   * decodes it, so a performance's `audio` and `wav()` give PCM16 either way (at 24,000 Hz).
   */
  audio?: 'pcm16' | 'opus';
  /** Which NPCs' media to receive: `all` (default), `none`, or a list of NPC ids (`scene.subscribe` changes it). */
  media?: 'all' | 'none' | string[];
}

/** A scene definition given inline when creating a scene (see docs/scenes.md). */
export interface SceneDefinition {
  id: string;
  title?: string;
  phase?: string;
  cast: {
    id: string;
    name?: string;
    role?: string;
    faction?: string;
    tier?: 'gold' | 'silver' | 'bronze';
    stance?: 'neutral' | 'friendly' | 'wary' | 'hostile' | 'defensive' | 'retreating';
    persona?: string;
    voice?: string | { id: string; speed?: number; pitch?: number; speaker?: number };
    faceRig?: string;
    present?: boolean;
  }[];
}

/** A connection to a Stagecraft server (HTTP for matchmaking, then one WebSocket per scene). */
export class StagecraftClient {
  private readonly colyseus: Client;

  constructor(
    readonly url: string,
    private readonly options: ConnectOptions = {},
  ) {
    this.colyseus = new Client(url);
  }

  /** Joins the scene `sceneId` (creating its room from the scene file if none is live). */
  joinScene(sceneId: string, options: JoinOptions = {}): Promise<Scene> {
    return this.enter(() => this.colyseus.joinOrCreate(SCENE_ROOM, { sceneId, ...options }));
  }

  /** Creates a new scene from an inline definition and joins it. */
  createScene(definition: SceneDefinition, options: JoinOptions = {}): Promise<Scene> {
    return this.enter(() =>
      this.colyseus.create(SCENE_ROOM, { sceneId: definition.id, scene: definition, ...options }),
    );
  }

  private async enter(join: () => ReturnType<Client['joinOrCreate']>): Promise<Scene> {
    let room: Awaited<ReturnType<Client['joinOrCreate']>>;
    try {
      room = await join();
    } catch (e) {
      throw new StagecraftError(`could not join: ${(e as Error).message}`);
    }
    const r = this.options.reconnect;
    if (r?.enabled !== undefined) room.reconnection.enabled = r.enabled;
    if (r?.maxRetries !== undefined) room.reconnection.maxRetries = r.maxRetries;
    if (r?.minUptimeMs !== undefined) room.reconnection.minUptime = r.minUptimeMs;
    const scene = new Scene(room);
    await scene.ready();
    return scene;
  }
}

/** Connects to a Stagecraft server, e.g. `connect('http://localhost:2567')`. */
export function connect(url: string, options: ConnectOptions = {}): StagecraftClient {
  return new StagecraftClient(url.replace(/\/+$/, ''), options);
}
