import { Controller, Get } from '@nestjs/common';
import { liveScenes } from '../rooms/game-server.js';
import { SceneCatalog } from './scene-catalog.js';

@Controller('api/scenes')
export class ScenesController {
  constructor(private readonly catalog: SceneCatalog) {}

  /** Scene files, files that failed to load, and the scenes live in this process. */
  @Get()
  async list() {
    return {
      scenes: this.catalog.list().map(({ scene }) => ({
        id: scene.id,
        title: scene.title ?? scene.id,
        cast: scene.cast.length,
      })),
      problems: this.catalog.problems,
      live: await liveScenes(),
    };
  }
}
