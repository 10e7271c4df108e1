import 'reflect-metadata';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Inject, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Database } from './database.js';
import { EventLog } from './event-log.js';
import { openDatabase } from './open-database.js';
import { DATABASE, PersistenceModule } from './persistence.module.js';
import { SceneStore } from './scene-store.js';

@Controller()
class NeedsPersistence {
  constructor(
    @Inject(DATABASE) readonly db: Database,
    @Inject(EventLog) readonly events: EventLog,
    @Inject(SceneStore) readonly scenes: SceneStore,
  ) {}
}

@Module({ controllers: [NeedsPersistence] })
class FeatureModule {}

describe('PersistenceModule', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'stagecraft-module-'));
  });

  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('provides a migrated database to any module, and flushes the log and closes it on shutdown', async () => {
    @Module({ imports: [PersistenceModule.forRoot({ dataDir }), FeatureModule] })
    class AppModule {}

    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    const feature = app.get(NeedsPersistence);
    expect(feature.db.kind).toBe('pglite');
    expect(feature.events).toBe(app.get(EventLog));
    await feature.scenes.upsert({ id: 'tavern', title: 'Tavern', definition: {}, status: 'live' });
    await feature.events.open('tavern');
    feature.events.append('tavern', 'scene.created', { cast: ['barkeep'] });
    await app.close();
    expect(() => feature.events.append('tavern', 'late', null)).toThrow(/closed/);
    await expect(feature.db.query('select 1')).rejects.toThrow(/closed/);

    const reopened = await openDatabase({ dataDir });
    try {
      const log = new EventLog(reopened);
      expect((await log.read('tavern')).map((e) => [e.seq, e.kind, e.payload])).toEqual([
        [1, 'scene.created', { cast: ['barkeep'] }],
      ]);
      expect((await new SceneStore(reopened).get('tavern'))?.status).toBe('live');
      await log.close();
    } finally {
      await reopened.close();
    }
  });

  it('refuses a data folder that holds something other than a database', async () => {
    const occupied = path.join(dataDir, 'occupied');
    await mkdir(occupied);
    await writeFile(path.join(occupied, 'notes.txt'), 'precious');
    await expect(openDatabase({ dataDir: occupied })).rejects.toThrow(/holds other files and no database/);
  });
});
