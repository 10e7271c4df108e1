export { type AppConfig, ConfigError, loadConfig } from './config/config.js';
export { type RunningServer, startServer } from './main.js';
export type { SceneDefinition } from './scenes/scene-definition.js';
