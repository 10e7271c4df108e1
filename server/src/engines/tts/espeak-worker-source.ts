// Source of the worker thread that hosts the espeak-ng emscripten module. It is evaluated as a
// string so that the same file works from server/src (under jest) and server/dist. The module's
// synthesize() runs synchronously; keeping it off the main thread keeps the room's event loop free.
// A job is cancelled through the shared `cancel` word: the synth callback returns 1 to abort.
export const ESPEAK_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const cancel = new Int32Array(workerData.cancel);
let worker;
let current = '';
let known;
parentPort.on('message', async (job) => {
  try {
    if (!worker) {
      const mod = await import(workerData.moduleUrl);
      const m = await mod.default();
      worker = new m.eSpeakNGWorker();
      known = new Set();
      for (const v of worker.list_voices()) {
        known.add(v.identifier.toLowerCase());
        for (const l of v.languages) known.add(l.name.toLowerCase());
      }
    }
    if (job.type === 'voices') {
      parentPort.postMessage({ id: job.id, ok: true, voices: worker.list_voices() });
      return;
    }
    if (current !== job.voice) {
      const rc = known.has(job.voice.toLowerCase()) ? worker.set_voice(job.voice, job.voice) : -1;
      if (rc !== 0) {
        current = '';
        parentPort.postMessage({ id: job.id, ok: false, code: 'unknown-voice', message: 'unknown voice "' + job.voice + '"' });
        return;
      }
      current = job.voice;
    }
    worker.set_rate(job.rate);
    worker.set_pitch(job.pitch);
    const chunks = [];
    const events = [];
    let aborted = false;
    worker.synthesize(job.text, (audio, evs) => {
      if (Atomics.load(cancel, 0) === job.id) { aborted = true; return 1; }
      chunks.push(audio);
      for (const e of evs) if (e.type === 'phoneme') events.push([e.audio_position, e.id]);
      return 0;
    });
    if (aborted) { parentPort.postMessage({ id: job.id, ok: false, code: 'aborted', message: 'synthesis aborted' }); return; }
    let n = 0;
    for (const c of chunks) n += c.length;
    const pcm = new Int16Array(n);
    let o = 0;
    for (const c of chunks) { pcm.set(c, o); o += c.length; }
    parentPort.postMessage({ id: job.id, ok: true, pcm, sampleRate: worker.get_samplerate(), events }, [pcm.buffer]);
  } catch (err) {
    parentPort.postMessage({ id: job.id, ok: false, code: 'engine-failed', message: String(err && err.message || err) });
  }
});
`;
