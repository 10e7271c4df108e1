import type { Client } from '@colyseus/core';
import {
  ClientMessageSchema,
  ControlAction,
  decodeClientMessage,
  decodeServerMessage,
  EMOTION,
  FaceDecoder,
  INTENT,
  ServerMessageSchema,
  toJson,
} from '@stagecraft/protocol';
import { MediaFanout } from '../../server/src/rooms/media-fanout.js';
import { PrometheusMetrics } from '../../server/src/telemetry/prometheus-metrics.js';
import { FRAME, WireClient, type WireFrame } from './wire-client.js';

/** One golden vector: a frame as it crossed the wire, and what it decodes to. */
export interface Vector {
  name: string;
  description: string;
  bytes: Uint8Array;
  json: VectorJson;
}

export interface VectorJson {
  name: string;
  description: string;
  direction: WireFrame['direction'];
  /** The Colyseus frame code (first byte) and, for ROOM_DATA_BYTES, the bytes-message type. */
  frame: { code: number; type?: number };
  /** The protobuf message (its JSON form), for ROOM_DATA_BYTES frames. */
  message?: unknown;
  /** The JOIN_ROOM handshake's fields, for JOIN_ROOM frames. */
  handshake?: { token: string; serializer: string };
  /** More of what the frame means, e.g. a face batch's decoded weights. */
  decoded?: unknown;
  /** Paths (in this JSON) whose values differ from run to run: ids, tokens, clocks, versions. */
  volatile: string[];
}

function messageVector(
  name: string,
  description: string,
  frame: WireFrame,
  volatile: string[] = [],
  decoded?: unknown,
): Vector {
  const { bytes, direction } = frame;
  const toServer = direction === 'client-to-server';
  const payload = bytes.subarray(2);
  const message = toServer
    ? toJson(ClientMessageSchema, decodeClientMessage(payload))
    : toJson(ServerMessageSchema, decodeServerMessage(payload));
  const json: VectorJson = {
    name,
    description,
    direction,
    frame: { code: bytes[0] ?? 0, type: bytes[1] ?? 0 },
    message,
    ...(decoded !== undefined ? { decoded } : {}),
    volatile,
  };
  return { name, description, bytes, json };
}

function rawVector(name: string, description: string, frame: WireFrame): Vector {
  const json: VectorJson = {
    name,
    description,
    direction: frame.direction,
    frame: { code: frame.bytes[0] ?? 0 },
    volatile: [],
  };
  return { name, description, bytes: frame.bytes, json };
}

function handshakeVector(name: string, description: string, frame: WireFrame): Vector {
  const { bytes } = frame;
  const tokenLength = bytes[1] ?? 0;
  const token = new TextDecoder().decode(bytes.subarray(2, 2 + tokenLength));
  const serializerLength = bytes[2 + tokenLength] ?? 0;
  const start = 3 + tokenLength;
  const serializer = new TextDecoder().decode(bytes.subarray(start, start + serializerLength));
  const json: VectorJson = {
    name,
    description,
    direction: frame.direction,
    frame: { code: bytes[0] ?? 0 },
    handshake: { token, serializer },
    volatile: ['handshake.token'],
  };
  return { name, description, bytes, json };
}

/** The frame of `client` that first carries a message of `kind` (and passes `test`). */
function frameOf(
  client: WireClient,
  direction: WireFrame['direction'],
  kind: string,
  test: (value: Record<string, unknown>, requestId: string) => boolean = () => true,
): WireFrame {
  for (const f of client.frames) {
    if (f.direction !== direction || f.bytes[0] !== FRAME.ROOM_DATA_BYTES) continue;
    const payload = f.bytes.subarray(2);
    const msg = direction === 'client-to-server' ? decodeClientMessage(payload) : decodeServerMessage(payload);
    if (msg.body.case === kind && test(msg.body.value as Record<string, unknown>, msg.requestId)) return f;
  }
  throw new Error(`no ${direction} frame with a ${kind} message`);
}

const at = (prefix: string, fields: string[]) => fields.map((f) => `${prefix}.${f}`);

/** Bytes a stand-in client has waiting unread: past the default 1 MiB media limit. */
const BEHIND_BYTES = 1_500_000;

/**
 * The MediaDropped frame the server's fan-out writes to a client that has fallen `BEHIND_BYTES`
 * behind when the next message of `audio`'s line is due. A real socket only gets there after the
 * kernel has absorbed megabytes (docs/protocol.md, "Media"), so the slow client is a
 * stand-in; the frame is made by the server's own code, byte for byte as it would be sent.
 */
function mediaDroppedFrame(audio: WireFrame, npcId: string): WireFrame {
  const message = decodeServerMessage(audio.bytes.subarray(2));
  if (message.body.case !== 'audio') throw new Error('not an audio frame');
  const written: Uint8Array[] = [];
  const slow = {
    sessionId: 'slow',
    ref: { bufferedAmount: BEHIND_BYTES },
    enqueueRaw: (b: Uint8Array) => written.push(b),
  };
  const metrics = new PrometheusMetrics();
  const fanout = new MediaFanout(
    () => [slow as unknown as Client],
    { dropBytes: 1024 * 1024, closeBytes: 8 * 1024 * 1024 },
    {
      encoded: metrics.counter<'audio'>({ name: 'encoded_total', help: 'encoded', labels: ['audio'] }),
      sentBytes: metrics.counter<'kind'>({ name: 'sent_bytes_total', help: 'sent', labels: ['kind'] }),
      dropped: metrics.counter({ name: 'dropped_total', help: 'dropped' }),
    },
    () => undefined,
  );
  fanout.join(slow.sessionId, 'pcm16', { all: true });
  fanout.media({ npcId, performanceId: message.body.value.performanceId, pcm16: message.body });
  const [bytes] = written;
  if (!bytes || written.length !== 1)
    throw new Error(`the fan-out wrote ${written.length} frames, not one MediaDropped`);
  return { direction: 'server-to-client', bytes };
}

/**
 * Plays the scenarios every vector comes from against a running server, over a bare WebSocket,
 * and returns the vectors. The server must hand out performance ids from a fixed sequence so that
 * the faces' seeds, and with them the frames, repeat.
 */
export async function captureVectors(baseUrl: string): Promise<Vector[]> {
  const out: Vector[] = [];
  const game = await WireClient.join(baseUrl, { sceneId: 'tavern', name: 'Ada', role: 'game' });
  await game.next('snapshot');
  const joinRoom = game.frames.find((f) => f.direction === 'server-to-client' && f.bytes[0] === FRAME.JOIN_ROOM);
  const ack = game.frames.find((f) => f.direction === 'client-to-server' && f.bytes[0] === FRAME.JOIN_ROOM);
  if (!joinRoom || !ack) throw new Error('no handshake captured');
  out.push(handshakeVector('join-room', 'The server’s first frame: JOIN_ROOM with the reconnection token.', joinRoom));
  out.push(rawVector('join-room-ack', 'The client acknowledges the handshake with the single byte 0x0a.', ack));
  out.push(
    messageVector(
      'server-snapshot',
      'The snapshot every client gets first: the tavern, its cast and its director.',
      frameOf(game, 'server-to-client', 'snapshot'),
      // Whether the director's first tick (and its directives) came before the join depends on timing.
      [...at('snapshot', ['clockMs', 'version']), 'snapshot.director.intensity', 'snapshot.cast.*.directive'],
    ),
  );

  game.send({
    requestId: 'r1',
    body: {
      case: 'proposal',
      value: { proposalId: 'p1', actorId: 'guard', verb: 'attack', targetId: 'player', amount: 5 },
    },
  });
  await game.next('verdict');
  out.push(
    messageVector(
      'client-proposal',
      'The guard proposes to attack the player for 5.',
      frameOf(game, 'client-to-server', 'proposal'),
    ),
  );
  out.push(
    messageVector(
      'server-verdict',
      'The tavern’s pack vetoes it, naming its rule; the request id is echoed.',
      frameOf(game, 'server-to-client', 'verdict'),
      ['verdict.decidedInUs'],
    ),
  );

  game.send({
    requestId: 'w1',
    body: {
      case: 'worldReport',
      value: { actors: [{ id: 'player', health: 90, maxHealth: 100 }], counters: { rounds: 1 } },
    },
  });
  await game.nextMessage('ack', (_v, m) => m.requestId === 'w1');
  out.push(
    messageVector(
      'client-world-report',
      'The game reports the player’s health and a counter.',
      frameOf(game, 'client-to-server', 'worldReport'),
    ),
  );
  out.push(
    messageVector(
      'server-ack',
      'A request with no other result is acknowledged with its id.',
      frameOf(game, 'server-to-client', 'ack', (_v, id) => id === 'w1'),
    ),
  );

  game.send({ requestId: 'e1', body: { case: 'proposal', value: { actorId: 'gaurd', verb: 'attack' } } });
  await game.next('error');
  out.push(
    messageVector(
      'server-error',
      'An unknown NPC: the error names the message, the field and the request.',
      frameOf(game, 'server-to-client', 'error'),
    ),
  );

  game.send({ requestId: 'c1', body: { case: 'control', value: { action: ControlAction.PAUSE } } });
  await game.nextMessage('ack', (_v, m) => m.requestId === 'c1');
  out.push(messageVector('client-control', 'The game pauses the scene.', frameOf(game, 'client-to-server', 'control')));
  out.push(
    messageVector(
      'server-delta',
      'The delta that pauses the scene for everyone, with the director’s status.',
      frameOf(game, 'server-to-client', 'delta', (v) => v.paused === true),
      [...at('delta', ['clockMs', 'version', 'baseVersion']), 'delta.director.intensity'],
    ),
  );
  out.push(
    messageVector('server-control', 'The pause, echoed to everyone.', frameOf(game, 'server-to-client', 'control')),
  );
  game.send({ requestId: 'c2', body: { case: 'control', value: { action: ControlAction.RESUME } } });
  await game.nextMessage('ack', (_v, m) => m.requestId === 'c2');

  // An observer that hears only the bard, as Opus. It joins hearing nobody, then subscribes.
  const listener = await WireClient.join(baseUrl, {
    sceneId: 'tavern',
    name: 'Cy',
    role: 'observer',
    audio: 'opus',
    media: 'none',
  });
  await listener.next('snapshot');
  listener.send({ requestId: 'm1', body: { case: 'media', value: { all: false, npcIds: ['bard'] } } });
  await listener.nextMessage('ack', (_v, m) => m.requestId === 'm1');
  out.push(
    messageVector(
      'client-media',
      'An observer asks for the bard’s media only; the server answers with an Ack.',
      frameOf(listener, 'client-to-server', 'media'),
    ),
  );

  // espeak-ng carries its pitch flutter from one synthesis to the next, so the bard's timings
  // below depend on all the engine said before in this process: the server's start-up warm-up
  // (warm-voices.ts, over the scenes in scenes/), then this scenario. Change either and the
  // vectors change with it; they do not change from run to run.
  const say = {
    npcId: 'bard',
    text: 'Pay the piper, or the music stops!',
    emotion: EMOTION.toWire('joy'),
    intent: INTENT.toWire('greet'),
  };
  game.send({ requestId: 's1', body: { case: 'say', value: say } });
  const start = await game.next('performanceStart', (p) => p.requestId === 's1');
  const id = start.performanceId;
  await game.next('performanceEnd', (e) => e.performanceId === id, 30_000);
  await listener.next('performanceEnd', (e) => e.performanceId === id, 30_000);
  const ofLine = (v: Record<string, unknown>) => v.performanceId === id;
  out.push(
    messageVector(
      'client-say',
      'The bard is asked to say a line, joyfully, as a greeting.',
      frameOf(game, 'client-to-server', 'say'),
    ),
  );
  out.push(
    messageVector(
      'server-performance-start',
      'The line starts; it carries the Say’s request id.',
      frameOf(game, 'server-to-client', 'performanceStart', ofLine),
      ['performanceStart.sceneClockMs'],
    ),
  );
  out.push(
    messageVector(
      'server-subtitle',
      'The first clause of the line’s text, on the performance clock.',
      frameOf(game, 'server-to-client', 'subtitle', ofLine),
    ),
  );
  out.push(
    messageVector(
      'server-audio',
      'The first 20 ms of audio: PCM16 little-endian mono.',
      frameOf(game, 'server-to-client', 'audio', ofLine),
    ),
  );
  out.push(
    messageVector(
      'server-performance-start-opus',
      'The same start, to a client that joined with audio "opus": Opus at 24,000 Hz.',
      frameOf(listener, 'server-to-client', 'performanceStart', ofLine),
      ['performanceStart.sceneClockMs'],
    ),
  );
  out.push(
    messageVector(
      'server-audio-opus',
      'Opus audio from 100 ms into the line, in the vowel of “Pay”: one 20 ms packet at 24,000 Hz.',
      frameOf(listener, 'server-to-client', 'audio', (v) => ofLine(v) && v.startMs === 100),
    ),
  );
  out.push(
    messageVector(
      'server-media-dropped',
      `The bard’s line stops for a client with ${BEHIND_BYTES} bytes waiting unread; its PerformanceEnd still follows.`,
      mediaDroppedFrame(frameOf(game, 'server-to-client', 'audio', ofLine), 'bard'),
    ),
  );
  out.push(
    messageVector(
      'server-phonemes',
      'The first clause’s phonemes.',
      frameOf(game, 'server-to-client', 'phonemes', ofLine),
    ),
  );
  out.push(
    messageVector(
      'server-visemes',
      'The first clause’s visemes.',
      frameOf(game, 'server-to-client', 'visemes', ofLine),
    ),
  );
  const face = frameOf(game, 'server-to-client', 'face', ofLine);
  const faceMsg = decodeServerMessage(face.bytes.subarray(2));
  const weights = faceMsg.body.case === 'face' ? new FaceDecoder().decode(faceMsg.body.value) : [];
  const rounded = weights.map((f) => ({ tMs: f.tMs, bytes: Array.from(f.weights, (x) => Math.round(x * 255)) }));
  out.push(
    messageVector(
      'server-face',
      'The first face batch (a keyframe), with its frames decoded: bytes 0–255 per ARKit blendshape.',
      face,
      [],
      { frames: rounded },
    ),
  );
  out.push(
    messageVector(
      'server-cue',
      'The first body-language cue of the line.',
      frameOf(game, 'server-to-client', 'cue', ofLine),
    ),
  );
  out.push(
    messageVector(
      'server-performance-end',
      'The line’s end: completed, with the audio sent in ms and samples.',
      frameOf(game, 'server-to-client', 'performanceEnd', ofLine),
    ),
  );

  const player = await WireClient.join(baseUrl, { sceneId: 'tavern', name: 'Bo', role: 'player' });
  await player.next('snapshot');
  player.send({ requestId: 'l1', body: { case: 'playerLine', value: { npcId: 'innkeeper', text: 'Good evening!' } } });
  await player.next('playerLine');
  const reply = await player.next('performanceStart', (p) => p.requestId === 'l1');
  await player.next('performanceEnd', (e) => e.performanceId === reply.performanceId, 30_000);
  out.push(
    messageVector(
      'client-player-line',
      'A player speaks to the innkeeper.',
      frameOf(player, 'client-to-server', 'playerLine'),
    ),
  );
  out.push(
    messageVector(
      'server-player-line',
      'The line, as everyone’s transcript.',
      frameOf(player, 'server-to-client', 'playerLine'),
    ),
  );
  player.send({ requestId: 'q1', body: { case: 'snapshotRequest', value: {} } });
  await player.nextMessage('snapshot', (_v, m) => m.requestId === 'q1');
  out.push(
    messageVector(
      'client-snapshot-request',
      'A client asks for a fresh snapshot.',
      frameOf(player, 'client-to-server', 'snapshotRequest'),
    ),
  );

  player.sendRaw(new Uint8Array([FRAME.PING]));
  const pong = await new Promise<WireFrame>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no PING answer')), 10_000);
    player.socket.on('message', (data: Buffer) => {
      if (data[0] !== FRAME.PING) return;
      clearTimeout(timer);
      resolve({ direction: 'server-to-client', bytes: new Uint8Array(data) });
    });
  });
  out.push(
    rawVector('client-ping', 'A client’s PING: the single byte 0x12.', {
      direction: 'client-to-server',
      bytes: new Uint8Array([FRAME.PING]),
    }),
  );
  out.push(
    rawVector(
      'server-ping-answer',
      'The server answers a client’s PING with PING; a client never answers a server’s.',
      pong,
    ),
  );

  player.drop();
  await new Promise((r) => setTimeout(r, 200));
  const back = await WireClient.connect(baseUrl, player.seat, player.token);
  await back.next('snapshot');
  const rejoin = back.frames.find((f) => f.direction === 'server-to-client' && f.bytes[0] === FRAME.JOIN_ROOM);
  if (!rejoin) throw new Error('no reconnection handshake captured');
  out.push(
    handshakeVector(
      'reconnect-join-room',
      'After a reconnection with the token: JOIN_ROOM again, with a new token.',
      rejoin,
    ),
  );
  out.push(
    messageVector(
      'reconnect-snapshot',
      'The snapshot a reconnected client gets.',
      frameOf(back, 'server-to-client', 'snapshot'),
      [
        ...at('snapshot', ['clockMs', 'version']),
        'snapshot.director.intensity',
        'snapshot.cast.*.directive.issuedAtMs',
      ],
    ),
  );
  await back.leave();
  await listener.leave();
  const leave = back.frames.find((f) => f.direction === 'client-to-server' && f.bytes[0] === FRAME.LEAVE_ROOM);
  if (leave) out.push(rawVector('client-leave', 'A client leaves for good: LEAVE_ROOM, the single byte 0x0c.', leave));
  await game.leave();

  // The chief's first directive, as a freshly opened scene sends it. On a busy machine it can go
  // out before the join completes (it is then only in the snapshot): leave, and open the scene again.
  const vesna = (v: { ruleId: string; npcId: string }) => v.ruleId === 'vesna' && v.npcId === 'bandit-chief';
  for (let attempt = 1; ; attempt++) {
    const battle = await WireClient.join(baseUrl, { sceneId: 'bridge-ambush', role: 'game' });
    await battle.next('snapshot');
    const directive = await battle.next('directive', vesna, 5000).catch((e: Error) => {
      if (attempt === 3) throw e;
      return undefined;
    });
    if (directive) {
      out.push(
        messageVector(
          'server-directive',
          'A director’s directive to an NPC of the bridge ambush.',
          frameOf(battle, 'server-to-client', 'directive', (v) => v.directiveId === directive.directiveId),
          ['directive.issuedAtMs'],
        ),
      );
    }
    await battle.leave();
    if (directive) return out;
  }
}
