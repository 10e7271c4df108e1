import pino, { type Logger } from 'pino';
import type { AppConfig } from './config/config.js';

/** The process's structured JSON logger (one line per event on stdout). */
export function createLogger(config: Pick<AppConfig, 'logLevel' | 'logPretty'>): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'stagecraft' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}
