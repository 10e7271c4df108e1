export { BarkEngine, type BarkEngineOptions, situationOf } from './bark-engine.js';
export {
  type BarkDefinition,
  BarkLibrary,
  type BarkSetDefinition,
  DEFAULT_BARKS_URL,
  loadDefaultBarks,
  parseBarkFile,
  SITUATIONS,
  type Situation,
} from './barks.js';
export { type BuiltPrompt, buildPrompt, PROMPT_MAX_CHARS, type PromptInput, SYSTEM_MAX_CHARS } from './build-prompt.js';
export { type CastPersonaOptions, personasForScene } from './cast-personas.js';
export {
  type Blocked,
  DialogueGuard,
  type DialogueGuardOptions,
  type GuardContext,
  type Screened,
} from './dialogue-guard.js';
export {
  type BoundsInput,
  type BoundsVerdict,
  checkLine,
  type DialogueBounds,
  type DirectiveState,
  directorBounds,
  type ForbiddenAction,
  forbiddenActions,
  type LineCheck,
  type PhaseState,
  phaseOrder,
  phaseReached,
} from './director-bounds.js';
export {
  type ConversationKey,
  MemoryError,
  type MemoryOptions,
  MemoryStore,
  type Recall,
  TURN_MAX_CHARS,
} from './memory-store.js';
export {
  DEFAULT_RATING,
  type ModerationSide,
  type ModerationVerdict,
  Moderator,
  parseModerationTerms,
  RATINGS,
  type Rating,
} from './moderation.js';
export {
  PERSONA_ID,
  type Persona,
  type PersonaDefinition,
  type PersonaFile,
  PersonaLibrary,
  parsePersonaFile,
  type RuleDefinition,
  type SecretDefinition,
  toPersona,
} from './persona.js';
export { type CleanedText, cleanPlayerText, PLAYER_LINE_MAX_CHARS, quotePlayer } from './player-text.js';
export { detectInjection, INJECTION_KINDS, type InjectionFinding, type InjectionKind } from './prompt-injection.js';
export { foldIntoSummary, SUMMARY_MAX_CHARS } from './rolling-summary.js';
