import { TIERS, type TierName } from '@stagecraft/protocol';
import { DEFAULT_VOICE_SETTINGS, type TtsEngine, type VoiceSettings } from './tts.js';

/** A cast member's voice as written in a scene: `engine:voice`, e.g. `espeak-ng:en-us`, `piper:en_US-lessac-medium`. */
export interface CastVoice {
  voice: string;
  speed?: number;
  pitch?: number;
  speakerId?: number;
  /** Tier the cast member is entitled to; an engine above it is not used. */
  tier?: TierName;
}

/** A cast member's voice with its settings. */
export interface VoiceDefinition {
  /** `engine:voice`, e.g. `espeak-ng:en-us`. */
  id: string;
  speed?: number;
  pitch?: number;
  speaker?: number;
}

/** The engine-level voice of a voice as written in a scene or persona file. */
export function castVoiceOf(written: string | VoiceDefinition): CastVoice {
  if (typeof written === 'string') return { voice: written };
  return { voice: written.id, speed: written.speed, pitch: written.pitch, speakerId: written.speaker };
}

export class VoiceError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'VoiceError';
  }
}

/** Splits `engine:voice`; throws VoiceError naming the field. */
export function parseVoiceId(id: string, field = 'voice'): { engine: string; voice: string } {
  const m = /^([a-z][\w-]*):(.+)$/i.exec(id.trim());
  if (!m) throw new VoiceError(field, `"${id}" is not "engine:voice" (e.g. "espeak-ng:en-us")`);
  return { engine: (m[1] as string).toLowerCase(), voice: m[2] as string };
}

export interface ResolvedVoice {
  engine: TtsEngine;
  settings: VoiceSettings;
}

/** Engines by name, each with a default voice used when it stands in for another engine. */
export class VoiceRegistry {
  private readonly engines = new Map<string, { engine: TtsEngine; defaultVoice: string }>();

  add(engine: TtsEngine, defaultVoice: string): this {
    this.engines.set(engine.name, { engine, defaultVoice });
    return this;
  }

  names(): string[] {
    return [...this.engines.keys()];
  }

  /** The cast member's engine and settings; throws VoiceError for an unknown engine or a bad setting. */
  resolve(cast: CastVoice, field = 'voice'): ResolvedVoice {
    const { engine, voice } = parseVoiceId(cast.voice, field);
    const found = this.engines.get(engine);
    if (!found) throw new VoiceError(field, `unknown engine "${engine}"; known: ${this.names().join(', ') || 'none'}`);
    const check = (name: 'speed' | 'pitch', v: number | undefined, lo: number, hi: number) => {
      if (v !== undefined && !(v >= lo && v <= hi))
        throw new VoiceError(`${field}.${name}`, `${v} is outside ${lo}..${hi}`);
    };
    check('speed', cast.speed, 0.25, 4);
    check('pitch', cast.pitch, 0.25, 2);
    return {
      engine: found.engine,
      settings: {
        voice,
        speakerId: cast.speakerId ?? DEFAULT_VOICE_SETTINGS.speakerId,
        speed: cast.speed ?? DEFAULT_VOICE_SETTINGS.speed,
        pitch: cast.pitch ?? DEFAULT_VOICE_SETTINGS.pitch,
      },
    };
  }

  /** Engines at or below `tier`, best tier first, with their default voices. */
  fallbacks(below: TierName): { engine: TtsEngine; voice: string }[] {
    const rank = (t: TierName) => TIERS.indexOf(t);
    return [...this.engines.values()]
      .filter((e) => rank(e.engine.tier) >= rank(below))
      .sort((a, b) => rank(a.engine.tier) - rank(b.engine.tier))
      .map((e) => ({ engine: e.engine, voice: e.defaultVoice }));
  }
}
