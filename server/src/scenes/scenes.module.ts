import { type DynamicModule, Module } from '@nestjs/common';
import { LocalScenes } from './local-scenes.js';
import { SceneCatalog } from './scene-catalog.js';
import { ScenesController } from './scenes.controller.js';

@Module({})
export class ScenesModule {
  static forRoot(scenesDir: string, live: LocalScenes): DynamicModule {
    return {
      module: ScenesModule,
      controllers: [ScenesController],
      providers: [
        { provide: SceneCatalog, useFactory: () => new SceneCatalog(scenesDir).load() },
        { provide: LocalScenes, useValue: live },
      ],
      exports: [SceneCatalog, LocalScenes],
    };
  }
}
