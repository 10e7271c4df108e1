import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TierName } from '@stagecraft/protocol';
import { Channel } from '../../media/channel.js';
import {
  type DialogueEngine,
  DialogueError,
  type DialogueEvent,
  type DialogueRequest,
  type PromptRead,
  type PromptReader,
} from './dialogue.js';
import type { LlamaEngineOptions } from './llama-engine.js';
import type { FromHost, ToHost } from './llama-host-protocol.js';

/** How the model host process is started. */
export interface HostCommand {
  /** Script node runs. */
  entry: string;
  /** Node flags for it (e.g. a loader). Default none. */
  execArgv?: string[];
}

export interface LlamaChildEngineOptions extends LlamaEngineOptions {
  /**
   * Default: node runs the compiled `llama-host.js` beside this module, i.e. in server/dist.
   * The TypeScript sources have no such file: tests start the host from its source through swc
   * (test-support/source-host.ts), so they need no build and never run a stale one.
   */
  host?: HostCommand;
  /** Longest a model may take to load, ms. Default 60000. */
  loadTimeoutMs?: number;
}

type Sink = Channel<DialogueEvent | DialogueError>;

/**
 * LlamaEngine in a child process, for models the project did not ship: a malformed GGUF can
 * abort the process that loads it, and this keeps that process away from the scene server.
 * A host that dies fails its generations with a retryable `engine-failed` and is started again
 * on the next request; a model that fails to load fails every request with `unavailable`,
 * naming the file, until the engine is closed.
 */
export class LlamaChildEngine implements DialogueEngine, PromptReader {
  readonly name: string;
  readonly tier: TierName;
  private child: ChildProcess | undefined;
  private ready: Promise<ChildProcess> | undefined;
  private loadError: DialogueError | undefined;
  private readonly sinks = new Map<number, Sink>();
  /** What each prompt read in flight read, once the host says. */
  private readonly reads = new Map<number, PromptRead>();
  private nextId = 1;
  private output = '';
  private closed = false;

  constructor(private readonly options: LlamaChildEngineOptions) {
    this.name = options.name ?? 'llama';
    this.tier = options.tier ?? 'silver';
  }

  /** Process id of the running host, if one runs. */
  get hostPid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the host and loads the model now rather than on the first request. */
  async load(): Promise<void> {
    await this.start();
  }

  generate(request: DialogueRequest, signal?: AbortSignal): AsyncIterable<DialogueEvent> {
    return this.run((id) => ({ type: 'generate', id, request }), signal);
  }

  async readPrompt(request: DialogueRequest, signal?: AbortSignal): Promise<PromptRead | undefined> {
    let job = 0;
    try {
      for await (const _ of this.run((id) => {
        job = id;
        return { type: 'read', id, request };
      }, signal)) {
        // A prompt read answers with no events, only what it read.
      }
      return this.reads.get(job);
    } finally {
      this.reads.delete(job);
    }
  }

  /** Sends one job to the host and yields its events until it ends; aborting stops it there. */
  private async *run(job: (id: number) => ToHost, signal?: AbortSignal): AsyncIterable<DialogueEvent> {
    if (signal?.aborted) throw this.error('aborted', 'generation aborted');
    const child = await this.start();
    if (signal?.aborted) throw this.error('aborted', 'generation aborted');
    const id = this.nextId++;
    const sink: Sink = new Channel();
    this.sinks.set(id, sink);
    const onAbort = () => this.finish(id, this.error('aborted', 'generation aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    let ended = false;
    try {
      this.send(child, job(id));
      for await (const item of sink) {
        if (item instanceof DialogueError) {
          ended = true;
          throw item;
        }
        yield item;
      }
      ended = true;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      // Still running in the host when the reader stopped early or aborted: stop it there.
      if (this.sinks.delete(id) || !ended) this.send(child, { type: 'abort', id });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const child = this.child;
    this.child = undefined;
    this.ready = undefined;
    for (const id of [...this.sinks.keys()]) this.finish(id, this.error('unavailable', 'engine closed'));
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    this.send(child, { type: 'dispose' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(timer);
  }

  private start(): Promise<ChildProcess> {
    if (this.closed) return Promise.reject(this.error('unavailable', 'engine closed'));
    if (this.loadError) return Promise.reject(this.loadError);
    this.ready ??= this.spawn().catch((err: DialogueError) => {
      this.loadError = err;
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  private spawn(): Promise<ChildProcess> {
    const host = this.options.host ?? { entry: fileURLToPath(new URL('./llama-host.js', import.meta.url)) };
    const model = this.options.modelPath;
    if (!existsSync(host.entry)) {
      return Promise.reject(this.error('unavailable', `model host ${host.entry} not found (build the server first)`));
    }
    const { host: _host, loadTimeoutMs, ...engineOptions } = this.options;
    const child = fork(host.entry, [], { execArgv: host.execArgv ?? [], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    this.child = child;
    this.output = '';
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-1500);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    return new Promise((resolve, reject) => {
      let loaded = false;
      const fail = (why: string) => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        if (this.child === child) this.child = undefined;
        reject(this.error('unavailable', `cannot load model ${model}: ${why}`));
      };
      const timer = setTimeout(() => fail(`not loaded within ${loadTimeoutMs ?? 60000} ms`), loadTimeoutMs ?? 60000);
      child.on('message', (message: FromHost) => {
        if (message.type === 'loaded') {
          loaded = true;
          clearTimeout(timer);
          resolve(child);
        } else if (message.type === 'load-failed') fail(message.message.replace(`cannot load model ${model}: `, ''));
        else this.onMessage(message);
      });
      child.on('error', (err) => {
        if (!loaded) fail(`model host failed to start: ${err.message}`);
      });
      child.on('exit', (code, signal) => {
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        const tail = this.output.trim() ? `; its last output: ${this.output.trim().slice(-500)}` : '';
        if (loaded) this.onExit(child, how);
        else fail(`the model host ${how} while loading it${tail}`);
      });
      this.send(child, { type: 'load', options: engineOptions });
    });
  }

  private onMessage(message: FromHost): void {
    if (message.type === 'event') this.sinks.get(message.id)?.push(message.event);
    else if (message.type === 'read') {
      if (this.sinks.has(message.id)) this.reads.set(message.id, message.read);
    } else if (message.type === 'end') {
      this.sinks.get(message.id)?.close();
      this.sinks.delete(message.id);
    } else if (message.type === 'error') {
      this.finish(message.id, this.error(message.code, message.message, message.retryable));
    }
  }

  /** A host that dies fails what it was generating; the next request starts a new one. */
  private onExit(child: ChildProcess, how: string): void {
    if (this.child !== child) return;
    this.child = undefined;
    this.ready = undefined;
    for (const id of [...this.sinks.keys()]) {
      this.finish(id, this.error('engine-failed', `the model host ${how} during generation`, true));
    }
  }

  private finish(id: number, error: DialogueError): void {
    const sink = this.sinks.get(id);
    this.sinks.delete(id);
    sink?.push(error);
    sink?.close();
  }

  private send(child: ChildProcess, message: ToHost): void {
    // A host that is exiting may refuse the message; its exit is handled on its own.
    if (child.connected) child.send(message, () => {});
  }

  private error(code: DialogueError['code'], message: string, retryable = false): DialogueError {
    return new DialogueError(this.name, code, message, retryable);
  }
}
