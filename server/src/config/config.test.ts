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

  it('reads the metrics sink, namespace, dimensions and flush interval', () => {
    const c = loadConfig(
      {
        STAGECRAFT_METRICS_SINK: 'emf',
        STAGECRAFT_METRICS_NAMESPACE: 'Stagecraft/prod',
        STAGECRAFT_METRICS_DIMENSIONS: 'service=scene-server, cluster=eu-1',
        STAGECRAFT_METRICS_FLUSH_MS: '10000',
        STAGECRAFT_METRICS_EMF_FILE: 'logs/metrics.jsonl',
      },
      '/srv/app',
    );
    expect(c.metrics).toEqual({
      sink: 'emf',
      namespace: 'Stagecraft/prod',
      dimensions: { service: 'scene-server', cluster: 'eu-1' },
      flushMs: 10000,
      emfFile: '/srv/app/logs/metrics.jsonl',
    });
    expect(loadConfig({}).metrics).toMatchObject({
      sink: 'none',
      namespace: 'Stagecraft',
      dimensions: {},
      flushMs: 60000,
    });
  });

  it('names the bad metrics dimension entry', () => {
    expect(() => loadConfig({ STAGECRAFT_METRICS_DIMENSIONS: 'service=a,cluster' })).toThrow(
      /STAGECRAFT_METRICS_DIMENSIONS: entry 2 \("cluster"\): must be name=value/,
    );
    expect(() => loadConfig({ STAGECRAFT_METRICS_DIMENSIONS: 'a=1,a=2' })).toThrow(/entry 2 .*a is given twice/);
    expect(() => loadConfig({ STAGECRAFT_METRICS_SINK: 'statsd' })).toThrow(/STAGECRAFT_METRICS_SINK/);
    expect(() => loadConfig({ STAGECRAFT_METRICS_FLUSH_MS: '10' })).toThrow(/STAGECRAFT_METRICS_FLUSH_MS/);
  });

  it('keeps inline scenes off unless NODE_ENV=development or the setting names roles', () => {
    expect(loadConfig({}).inlineScenes.roles).toEqual([]);
    expect(loadConfig({ NODE_ENV: 'development' }).inlineScenes.roles).toEqual(['game', 'director']);
    expect(loadConfig({ NODE_ENV: 'development', STAGECRAFT_INLINE_SCENES: 'off' }).inlineScenes.roles).toEqual([]);
    expect(loadConfig({ STAGECRAFT_INLINE_SCENES: 'director, game' }).inlineScenes.roles).toEqual(['director', 'game']);
    expect(() => loadConfig({ STAGECRAFT_INLINE_SCENES: 'admin' })).toThrow(
      /STAGECRAFT_INLINE_SCENES: must be "off" or a comma-separated list of roles \(observer, player, game, director\)/,
    );
  });

  it('reads the operator key, metrics auth and CORS origins, refusing an origin with a path', () => {
    const c = loadConfig({
      STAGECRAFT_OPERATOR_KEY: 'k'.repeat(32),
      STAGECRAFT_METRICS_AUTH: 'key',
      STAGECRAFT_CORS_ORIGINS: 'https://a.example, http://localhost:5173',
    });
    expect([c.operatorKey, c.metricsNeedKey, c.corsOrigins]).toEqual([
      'k'.repeat(32),
      true,
      ['https://a.example', 'http://localhost:5173'],
    ]);
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(() => loadConfig({ STAGECRAFT_CORS_ORIGINS: 'https://a.example/game' })).toThrow(/STAGECRAFT_CORS_ORIGINS/);
    expect(() => loadConfig({ STAGECRAFT_OPERATOR_KEY: 'short' })).toThrow(
      /STAGECRAFT_OPERATOR_KEY: must be at least 32/,
    );
  });
});
