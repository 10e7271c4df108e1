'use strict';
// The Stagecraft wire for the engine: Colyseus framing (docs/protocol.md, section 2) around the
// protobuf messages of @stagecraft/protocol, the repository's own package (ESM, so loaded once with
// import()). Field numbers come from the generated descriptors, never from this file.

/** Colyseus frame codes on a scene's WebSocket. */
const FRAME = Object.freeze({ JOIN_ROOM: 10, ERROR: 11, LEAVE_ROOM: 12, ROOM_DATA_BYTES: 17, PING: 18 });

/** ServerMessage bodies that are decoded whole; the media of a performance are read only in part. */
const DECODED = new Set(['verdict', 'ack', 'error', 'performanceStart', 'performanceEnd', 'snapshot', 'mediaDropped']);

let loading;

/** Loads the protocol package and the protobuf reader once; rejects naming what to run when absent. */
function loadWire() {
  loading ??= Promise.all([import('@stagecraft/protocol'), import('@bufbuild/protobuf/wire')]).then(
    ([protocol, { BinaryReader }]) => makeWire(protocol, BinaryReader),
    (e) => {
      throw new Error(
        `artillery-engine-stagecraft: could not load @stagecraft/protocol (${e.message}); ` +
          'run `npm install` and `npm run build` at the repository root first',
      );
    },
  );
  return loading;
}

function numbers(schema) {
  const byName = {};
  const byNumber = {};
  for (const f of schema.fields) {
    byName[f.localName] = f.number;
    byNumber[f.number] = f.localName;
  }
  return { byName, byNumber };
}

function makeWire(protocol, BinaryReader) {
  const server = numbers(protocol.ServerMessageSchema);
  const audio = numbers(protocol.AudioChunkSchema).byName;
  const REQUEST_ID = server.byName.requestId;
  const CLIENT = protocol.MessageType.CLIENT;
  const SERVER = protocol.MessageType.SERVER;

  /** A ROOM_DATA_BYTES frame of type CLIENT around one ClientMessage. */
  function clientFrame(init) {
    const body = protocol.encodeClientMessage(init);
    const frame = new Uint8Array(2 + body.length);
    frame[0] = FRAME.ROOM_DATA_BYTES;
    frame[1] = CLIENT;
    frame.set(body, 2);
    return frame;
  }

  /**
   * The chunk's performance, sequence number, length and `final`, without touching its samples
   * (PCM16 in `pcm`, or Opus packets in `opus` for a client that joined with `audio: "opus"`).
   */
  function readAudio(bytes) {
    const r = new BinaryReader(bytes);
    const chunk = { performanceId: '', seq: 0, durationMs: 0, final: false };
    while (r.pos < r.len) {
      const [no, wireType] = r.tag();
      if (no === audio.performanceId) chunk.performanceId = r.string();
      else if (no === audio.seq) chunk.seq = r.uint32();
      else if (no === audio.durationMs) chunk.durationMs = r.uint32();
      else if (no === audio.final) chunk.final = r.bool();
      else r.skip(wireType);
    }
    return chunk;
  }

  /**
   * Reads one server frame's ServerMessage (the bytes after `11 01`): its body kind and request id
   * always; the whole message for the kinds in DECODED (or every kind with `decodeAll`); an audio
   * chunk's header. Returns undefined for a frame that is not a ServerMessage.
   */
  function readServer(frame, decodeAll) {
    if (frame[0] !== FRAME.ROOM_DATA_BYTES || frame[1] !== SERVER) return undefined;
    const bytes = frame.subarray(2);
    const r = new BinaryReader(bytes);
    const out = { kind: undefined, requestId: '', bytes: frame.length, msg: undefined, audio: undefined };
    let body;
    while (r.pos < r.len) {
      const [no, wireType] = r.tag();
      if (no === REQUEST_ID) out.requestId = r.string();
      else if (server.byNumber[no]) {
        out.kind = server.byNumber[no];
        body = r.bytes();
      } else r.skip(wireType);
    }
    if (decodeAll || DECODED.has(out.kind)) out.msg = protocol.decodeServerMessage(bytes);
    else if (out.kind === 'audio') out.audio = readAudio(body);
    return out;
  }

  return {
    protocol,
    clientFrame,
    readServer,
    errorName: (code) => protocol.ErrorCode[code] ?? `code_${code}`,
    decisionName: (d) => (protocol.Decision[d] ?? `decision_${d}`).toLowerCase(),
    endReasonName: (r) => (protocol.EndReason[r] ?? `reason_${r}`).toLowerCase(),
  };
}

module.exports = { FRAME, loadWire };
