import { type FSWatcher, watch } from 'node:fs';
import path from 'node:path';
import type { SceneCatalog } from './scene-catalog.js';

/**
 * Reloads the catalog when a file changes in the scenes folder, in a folder of a pack a scene
 * names, or in `extraDirs` (the personas folder). Changes within `debounceMs` are one reload.
 */
export class SceneWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly catalog: SceneCatalog,
    private readonly extraDirs: readonly string[] = [],
    private readonly onError: (e: unknown) => void = () => undefined,
    private readonly debounceMs = 300,
  ) {
    this.follow();
  }

  /** Watches every folder the catalog's files are in (the set changes as scenes name packs). */
  private follow(): void {
    const dirs = new Set([
      this.catalog.dir,
      ...this.extraDirs,
      ...this.catalog.watchedFiles().map((f) => path.dirname(f)),
    ]);
    for (const dir of dirs) {
      if (this.watchers.has(dir)) continue;
      try {
        const w = watch(dir, () => this.changed());
        w.on('error', this.onError);
        this.watchers.set(dir, w);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.onError(e);
      }
    }
  }

  private changed(): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.catalog.reload().then(
        () => this.follow(),
        (e: unknown) => this.onError(e),
      );
    }, this.debounceMs);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }
}
