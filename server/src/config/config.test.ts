import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('uses embedded defaults when nothing is set', () => {
    const c = loadConfig({}, '/srv/app');
    expect(c.port).toBe(2567);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir).toBe('/srv/app/.stagecraft/data');
    expect(c.scenesDir).toBe('/srv/app/scenes');
    expect(c.reconnectSeconds).toBe(20);
  });

  it('treats empty strings as unset and STAGECRAFT_DATA_DIR=memory as in-memory', () => {
    const c = loadConfig({ PORT: '', DATABASE_URL: '', STAGECRAFT_DATA_DIR: 'memory' });
    expect(c.port).toBe(2567);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir).toBeUndefined();
  });

  it('names every bad variable and its value', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map((p) => p.variable).sort();
    expect(problems).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT']);
    expect((error as Error).message).toContain('PORT');
    expect((error as Error).message).toContain('"eighty"');
  });

  it('rejects a short JWT secret', () => {
    expect(() => loadConfig({ STAGECRAFT_JWT_SECRET: 'short' })).toThrow(/STAGECRAFT_JWT_SECRET: must be at least 32/);
  });
});
