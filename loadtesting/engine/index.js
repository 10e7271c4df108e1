'use strict';
// artillery-engine-stagecraft: virtual users that are Stagecraft clients. A scenario names it with
// `engine: stagecraft` (and `config.engines: { stagecraft: {} }`); its flow steps are below.
//
//   - join: { sceneId, role, name, audio, media }  matchmake (joinOrCreate) and wait for the snapshot
//   - play: { durationS, npcs, … }                 the interaction mix for the NPCs it drives (play.js)
//   - propose | report | say | playerLine          one message each, for scripted flows
//   - think, loop, function, log                   as in artillery's own engines
//   - leave: {}                                    leave the scene (also done at the end of the flow)
//
// `config.stagecraft`: { scenes, cast, play, token, timeoutMs, decodeMedia, logErrors, audio, media };
// `play` holds defaults for every play step, `audio` and `media` for every join (docs/protocol.md:
// `pcm16` and every NPC unless a scenario asks otherwise). `scenes` (a count) gives each user
// `{{ sceneIndex }}`, spreading users over that many scenes; `cast` is `{{ cast }}`.
const os = require('node:os');
const { threadId } = require('node:worker_threads');
const { EngineError } = require('./connection');
const { play } = require('./play');
const { Session } = require('./session');
const { loadWire } = require('./wire');

const STEPS = ['join', 'play', 'propose', 'report', 'say', 'playerLine', 'leave'];

class StagecraftEngine {
  /** Artillery passes the script, its event emitter (unused: each scenario gets its own) and its helpers. */
  constructor(script, _ee, helpers) {
    this.script = script;
    this.config = script.config;
    this.settings = { timeoutMs: 10_000, decodeMedia: false, logErrors: false, ...(script.config.stagecraft ?? {}) };
    this.helpers = helpers;
    this.users = 0;
    // Artillery spreads users over one worker per core but one; each worker numbers its own.
    this.workers = Math.max(1, os.cpus().length - 1);
    this.worker = Math.max(0, threadId - 1) % this.workers;
  }

  createScenario(spec, ee) {
    const steps = spec.flow.map((step, i) => this.step(step, ee, `flow[${i}]`));
    return (context, done) => {
      ee.emit('started');
      this.run(steps, context, ee).then(
        () => {
          ee.emit('done');
          done(null, context);
        },
        (e) => {
          ee.emit('error', e.code ?? e.message);
          if (this.settings.logErrors) console.error(e.message);
          done(e, context);
        },
      );
    };
  }

  async run(steps, context, ee) {
    const wire = await loadWire();
    const index = this.users++ * this.workers + this.worker;
    context.vars.sceneIndex = this.settings.scenes ? index % this.settings.scenes : index;
    context.vars.userIndex = index;
    context.vars.cast = this.settings.cast;
    context.stagecraft = { wire, ee, session: undefined };
    try {
      for (const step of steps) await step(context);
    } finally {
      await context.stagecraft.session?.leave();
    }
  }

  /** Compiles one flow step into `async (context) => void`. */
  step(step, ee, where) {
    const helpers = this.helpers;
    const callback = (f) => (context) =>
      new Promise((resolve, reject) => f(context, (err) => (err ? reject(err) : resolve())));
    if (step.think !== undefined) return callback(helpers.createThink(step, this.config.defaults?.think ?? {}));
    if (step.loop) {
      const inner = step.loop.map((s, i) => this.step(s, ee, `${where}.loop[${i}]`));
      const asCallbacks = inner.map((f) => (context, next) => f(context).then(() => next(null, context), next));
      const loop = helpers.createLoopWithCount(step.count ?? -1, asCallbacks, { loopValue: '$loopCount' });
      return callback(loop);
    }
    if (step.log !== undefined) return async (context) => console.log(helpers.template(step.log, context));
    if (step.function !== undefined) {
      return async (context) => {
        const f = this.config.processor?.[step.function];
        if (!f)
          throw new EngineError('stagecraft.config', `${where}.function: no processor function "${step.function}"`);
        await f(context, ee);
      };
    }
    const kind = STEPS.find((k) => step[k] !== undefined);
    if (!kind) {
      const keys = Object.keys(step).join(', ');
      throw new Error(`${where}: unknown step (${keys}); a stagecraft step is one of ${STEPS.join(', ')}, think, loop`);
    }
    return (context) => this[kind](context, helpers.template(step[kind], context), where);
  }

  async join(context, spec, where) {
    if (!spec?.sceneId) throw new EngineError('stagecraft.config', `${where}.join.sceneId is required`);
    const { wire, ee } = context.stagecraft;
    const token = spec.token ?? this.settings.token ?? process.env.STAGECRAFT_LOADTEST_TOKEN;
    const media = spec.media ?? this.settings.media;
    const session = new Session(wire, ee, {
      target: this.config.target.replace(/\/+$/, ''),
      join: {
        sceneId: String(spec.sceneId),
        role: spec.role ?? 'game',
        name: spec.name ?? `load-${context.vars.userIndex}`,
        // Asked for, not left to the server's default: the engine reads chunk headers only, so Opus
        // changes only the bytes on the wire.
        audio: spec.audio ?? this.settings.audio ?? 'pcm16',
        ...(media !== undefined ? { media } : {}),
      },
      token,
      timeoutMs: this.settings.timeoutMs,
      decodeMedia: this.settings.decodeMedia,
      logErrors: this.settings.logErrors,
    });
    context.stagecraft.session = session;
    await session.join();
  }

  session(context, where) {
    const session = context.stagecraft.session;
    if (!session) throw new EngineError('stagecraft.config', `${where}: join a scene first`);
    return session;
  }

  /** The step's fields over `config.stagecraft.play` (so an environment can shorten every user's play). */
  play(context, spec, where) {
    return play(this.session(context, where), { ...(this.settings.play ?? {}), ...(spec ?? {}) });
  }

  propose(context, spec, where) {
    this.session(context, where).propose(spec);
  }

  report(context, spec, where) {
    this.session(context, where).report(spec.actors ?? []);
  }

  say(context, spec, where) {
    this.session(context, where).say(spec.npcId, spec.text, spec.stopAfterMs ?? 0);
  }

  playerLine(context, spec, where) {
    this.session(context, where).playerLine(spec.npcId, spec.text);
  }

  async leave(context) {
    await context.stagecraft.session?.leave();
    context.stagecraft.session = undefined;
  }
}

module.exports = StagecraftEngine;
