export * from '@stagecraft/protocol';
export { type ConnectOptions, connect, type JoinOptions, type SceneDefinition, StagecraftClient } from './client.js';
export { Emitter } from './emitter.js';
export { StagecraftError } from './errors.js';
export { Performance } from './performance.js';
export { ReplayStream } from './replay-stream.js';
export { type ProposalInit, Scene, type SceneEvents, type WorldReportInit } from './scene.js';
export { applyDelta, type SceneView, viewFromSnapshot } from './scene-view.js';
export { chunksDurationMs, chunksToWav } from './wav.js';
