// Entry of the model host process that LlamaChildEngine forks: it loads one GGUF model with
// LlamaEngine and runs the generations the parent asks for. Nothing here may throw past a
// message handler: the parent learns of every failure as a message, or from this process's exit.
import { DialogueError, type DialogueRequest } from './dialogue.js';
import { LlamaEngine, type LlamaEngineOptions } from './llama-engine.js';
import type { FromHost, ToHost } from './llama-host-protocol.js';

let engine: LlamaEngine | undefined;
const running = new Map<number, AbortController>();

function send(message: FromHost): void {
  process.send?.(message);
}

/** The message without the `engine: ` prefix DialogueError adds (the parent adds its own). */
function detail(err: DialogueError): string {
  const prefix = `${err.engine}: `;
  return err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
}

async function load(options: LlamaEngineOptions): Promise<void> {
  try {
    engine = await LlamaEngine.load(options);
    send({ type: 'loaded', sequences: engine.sequences });
  } catch (err) {
    send({ type: 'load-failed', message: err instanceof DialogueError ? detail(err) : String(err) });
  }
}

/** Runs job `id` (a generation or a prompt read), answering with its events, then `end` or `error`. */
async function serve(id: number, request: DialogueRequest, read: boolean): Promise<void> {
  const controller = new AbortController();
  running.set(id, controller);
  try {
    if (!engine) throw new DialogueError('llama-host', 'unavailable', 'no model loaded');
    if (read) send({ type: 'read', id, read: await engine.readPrompt(request, controller.signal) });
    else for await (const event of engine.generate(request, controller.signal)) send({ type: 'event', id, event });
    send({ type: 'end', id });
  } catch (err) {
    const e = err instanceof DialogueError ? err : new DialogueError('llama-host', 'engine-failed', String(err), true);
    send({ type: 'error', id, code: e.code, message: detail(e), retryable: e.retryable });
  } finally {
    running.delete(id);
  }
}

async function dispose(): Promise<void> {
  for (const c of running.values()) c.abort();
  await engine?.close().catch(() => {});
  process.exit(0);
}

process.on('message', (message: ToHost) => {
  if (message.type === 'load') void load(message.options);
  else if (message.type === 'generate') void serve(message.id, message.request, false);
  else if (message.type === 'read') void serve(message.id, message.request, true);
  else if (message.type === 'abort') running.get(message.id)?.abort();
  else if (message.type === 'dispose') void dispose();
});
// The parent went away (crashed or exited without dispose): nothing is left to serve.
process.on('disconnect', () => process.exit(0));
