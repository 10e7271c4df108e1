import { type DynamicModule, Module } from '@nestjs/common';
import { SceneCatalog } from './scene-catalog.js';
import { ScenesController } from './scenes.controller.js';

@Module({})
export class ScenesModule {
  static forRoot(scenesDir: string): DynamicModule {
    return {
      module: ScenesModule,
      controllers: [ScenesController],
      providers: [{ provide: SceneCatalog, useFactory: () => new SceneCatalog(scenesDir).load() }],
      exports: [SceneCatalog],
    };
  }
}
