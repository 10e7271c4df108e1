import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { LocalScenes } from './local-scenes.js';
import { SceneCatalog } from './scene-catalog.js';

@Controller('api/scenes')
export class ScenesController {
  constructor(
    private readonly catalog: SceneCatalog,
    private readonly live: LocalScenes,
  ) {}

  /** Scene files, files that failed to load, and the scenes live in this process. */
  @Get()
  list() {
    return {
      scenes: this.catalog.list().map(({ scene }) => ({
        id: scene.id,
        title: scene.title ?? scene.id,
        cast: scene.cast.length,
      })),
      problems: this.catalog.problems,
      reloads: this.catalog.version,
      live: this.live.list().map((s) => ({
        roomId: s.roomId,
        sceneId: s.sceneId,
        clients: s.clients,
        inline: s.createdBy !== undefined,
      })),
    };
  }

  /**
   * Reads the scene files and their packs again: good versions serve scenes created from now
   * on, a file with errors keeps its previous version; live scenes keep what they started with.
   */
  @Post('reload')
  @HttpCode(200)
  async reload() {
    await this.catalog.reload();
    return this.list();
  }
}
