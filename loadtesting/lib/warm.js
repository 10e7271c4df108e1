'use strict';
// Warms a freshly started local server before the load: one line in each voice of the scene's
// cast, one after another, each waited for until its first audio. A new server's first lines
// load the voice and compile its code (the voice benchmark measures that cold start); a load run
// measures the server at work.
const { Session } = require('../engine/session');
const { loadWire } = require('../engine/wire');

const quiet = { emit: () => {} };

async function warmServer(url, sceneId, timeoutMs = 30_000) {
  const wire = await loadWire();
  const session = new Session(wire, quiet, {
    target: url,
    join: { sceneId, role: 'game', name: 'warm-up' },
    timeoutMs,
  });
  const snapshot = await session.join();
  const voices = new Map();
  for (const m of snapshot.cast) if (!voices.has(m.voice)) voices.set(m.voice, m.id);
  try {
    for (const npcId of voices.values()) {
      const heard = new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`warm-up: no audio from ${npcId} within ${timeoutMs} ms`)),
          timeoutMs,
        );
        const onAudio = session.onAudio.bind(session);
        session.onAudio = (chunk, at) => {
          onAudio(chunk, at);
          clearTimeout(timer);
          session.onAudio = onAudio;
          resolve();
        };
      });
      session.say(npcId, 'Warming up the voice before the load arrives.');
      await heard;
    }
  } finally {
    await session.leave();
  }
  return voices.size;
}

module.exports = { warmServer };
