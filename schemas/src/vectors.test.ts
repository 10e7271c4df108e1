import { readdirSync, readFileSync } from 'node:fs';
import { fromJson, toBinary, toJson } from '@bufbuild/protobuf';
import { describe, expect, it } from '@jest/globals';
import { FaceDecoder } from './face-codec.js';
import { ClientMessageSchema, ServerMessageSchema } from './gen/stagecraft/v1/messages_pb.js';
import { decodeClientMessage, decodeServerMessage, MessageType } from './protocol.js';

// Every golden vector (schemas/vectors/*.bin + *.json) decodes to what its JSON says, and the
// decoded message encodes back to the very same bytes. Native clients check themselves against
// the same files.
const dir = new URL('../vectors/', import.meta.url);
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''));

interface VectorJson {
  direction: 'server-to-client' | 'client-to-server';
  frame: { code: number; type?: number };
  message?: unknown;
  handshake?: { token: string; serializer: string };
  decoded?: { frames: { tMs: number; bytes: number[] }[] };
}

const ROOM_DATA_BYTES = 17;
const JOIN_ROOM = 10;

describe('golden wire vectors', () => {
  it('exist for the handshake, every client message and every server message', () => {
    const vectors = names.map((n) => JSON.parse(readFileSync(new URL(`${n}.json`, dir), 'utf8')) as VectorJson);
    const bodies = new Set(vectors.flatMap((v) => (v.message ? Object.keys(v.message as object) : [])));
    const kinds = [ClientMessageSchema, ServerMessageSchema].flatMap((s) => s.oneofs[0]?.fields ?? []);
    expect(kinds.length).toBeGreaterThan(20);
    for (const kind of kinds.map((f) => f.localName)) expect(bodies).toContain(kind);
    expect(vectors.some((v) => v.handshake)).toBe(true);
  });

  for (const name of names) {
    it(`${name} decodes as described and re-encodes byte for byte`, () => {
      const json = JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8')) as VectorJson;
      const bytes = new Uint8Array(readFileSync(new URL(`${name}.bin`, dir)));
      expect(bytes[0]).toBe(json.frame.code);
      if (json.frame.code === JOIN_ROOM && json.handshake) {
        const token = new TextEncoder().encode(json.handshake.token);
        expect(bytes[1]).toBe(token.length);
        expect(Array.from(bytes.subarray(2, 2 + token.length))).toEqual(Array.from(token));
        return;
      }
      if (json.frame.code !== ROOM_DATA_BYTES) return;
      const toServer = json.direction === 'client-to-server';
      expect(bytes[1]).toBe(toServer ? MessageType.CLIENT : MessageType.SERVER);
      const payload = bytes.subarray(2);
      const schema = toServer ? ClientMessageSchema : ServerMessageSchema;
      const decoded = toServer ? decodeClientMessage(payload) : decodeServerMessage(payload);
      expect(toJson(schema, decoded as never)).toEqual(json.message);
      const again = toBinary(schema, fromJson(schema, json.message as never) as never);
      expect(Buffer.from(again).toString('hex')).toBe(Buffer.from(payload).toString('hex'));
      if (json.decoded?.frames && 'body' in decoded && decoded.body.case === 'face') {
        const frames = new FaceDecoder().decode(decoded.body.value);
        expect(frames.map((f) => ({ tMs: f.tMs, bytes: Array.from(f.weights, (w) => Math.round(w * 255)) }))).toEqual(
          json.decoded.frames,
        );
      }
    });
  }
});
