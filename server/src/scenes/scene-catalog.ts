import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { formatProblem, SourceError } from '../common/source-error.js';
import { readSourceFile } from '../common/yaml-source.js';
import { compilePack } from '../direction/compile-pack.js';
import type { CompiledPack } from '../direction/compiled-pack.js';
import { parseSceneDefinition, type SceneDefinition, scenePackOptions } from './scene-definition.js';

export interface SceneFile {
  file: string;
  scene: SceneDefinition;
  /** The scene's compiled constraint pack, when its file names one. */
  pack?: CompiledPack;
}

/** A scene file that could not be loaded, with every problem found in it. */
export interface SceneFileProblem {
  /** The file, relative to the scenes folder. */
  file: string;
  /** Each problem as `file:line:column: field: message`, paths relative to the scenes folder. */
  problems: string[];
  /** On a reload: the scene's previous version stays in use until the file is fixed. */
  keptPrevious?: boolean;
}

const SCENE_FILE = /\.(ya?ml|json)$/i;

/** The scene files of the scenes folder, loaded and validated at start. */
export class SceneCatalog {
  private readonly scenes = new Map<string, SceneFile>();
  readonly problems: SceneFileProblem[] = [];

  constructor(readonly dir: string) {}

  /** Loads every scene file; a bad file is reported and skipped, never fatal for the others. */
  async load(): Promise<this> {
    const { scenes, problems } = await this.read();
    this.scenes.clear();
    for (const [id, f] of scenes) this.scenes.set(id, f);
    this.problems.splice(0, this.problems.length, ...problems);
    return this;
  }

  /**
   * Reads the files again, linting each scene and its pack first. A file that now fails keeps
   * its scene's previous version in use (reported with `keptPrevious`); a good one replaces it
   * for scenes created from now on. Scenes already live keep what they started with.
   */
  async reload(): Promise<this> {
    const before = new Map([...this.scenes.values()].map((f) => [f.file, f]));
    const { scenes, problems } = await this.read();
    for (const p of problems) {
      const old = before.get(path.join(this.dir, p.file));
      if (old && !scenes.has(old.scene.id)) {
        scenes.set(old.scene.id, old);
        p.keptPrevious = true;
      }
    }
    this.scenes.clear();
    for (const [id, f] of scenes) this.scenes.set(id, f);
    this.problems.splice(0, this.problems.length, ...problems);
    this.version++;
    for (const fn of this.reloadListeners) fn();
    return this;
  }

  /** How many times the files were read again since the start. */
  version = 0;

  private readonly reloadListeners: (() => void)[] = [];

  /** Calls `fn` after each reload (to forget other files read once, such as personas). */
  onReload(fn: () => void): void {
    this.reloadListeners.push(fn);
  }

  /** The files the catalog was built from: the scene files and the packs they name. */
  watchedFiles(): string[] {
    return [...this.scenes.values()].flatMap((f) =>
      f.scene.constraints ? [f.file, path.resolve(path.dirname(f.file), f.scene.constraints)] : [f.file],
    );
  }

  private async read(): Promise<{ scenes: Map<string, SceneFile>; problems: SceneFileProblem[] }> {
    const scenes = new Map<string, SceneFile>();
    const problems: SceneFileProblem[] = [];
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => SCENE_FILE.test(n)).sort();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { scenes, problems };
      throw e;
    }
    for (const name of names) {
      const file = path.join(this.dir, name);
      const shown = this.shown(file);
      try {
        const scene = parseSceneDefinition(await readSourceFile(file, shown), shown);
        const clash = scenes.get(scene.id);
        if (clash) {
          problems.push({
            file: shown,
            problems: [`scene id "${scene.id}" is already used by ${this.shown(clash.file)}`],
          });
          continue;
        }
        const pack = scene.constraints ? await loadScenePack(file, scene, (f) => this.shown(f)) : undefined;
        scenes.set(scene.id, { file, scene, ...(pack ? { pack } : {}) });
      } catch (e) {
        const list = e instanceof SourceError ? e.problems.map(formatProblem) : [String((e as Error).message)];
        problems.push({ file: shown, problems: list });
      }
    }
    return { scenes, problems };
  }

  get(id: string): SceneDefinition | undefined {
    return this.scenes.get(id)?.scene;
  }

  /** The compiled constraint pack of scene `id`, if it has one. */
  pack(id: string): CompiledPack | undefined {
    return this.scenes.get(id)?.pack;
  }

  /**
   * A path as reports and clients see it (errors, /api/scenes): relative to the scenes folder
   * (`tavern.yaml`), never absolute, so responses do not reveal the server's file system.
   */
  shown(file: string): string {
    return path.relative(this.dir, file);
  }

  list(): SceneFile[] {
    return [...this.scenes.values()];
  }

  /** The problems of the file that would have defined scene `id`, if any file by that name failed. */
  problemFor(id: string): SceneFileProblem | undefined {
    return this.problems.find((p) => !p.keptPrevious && path.basename(p.file).replace(SCENE_FILE, '') === id);
  }
}

/** Compiles the pack a scene file names, checking its NPC ids against the scene's cast. */
async function loadScenePack(
  sceneFile: string,
  scene: SceneDefinition,
  show: (file: string) => string,
): Promise<CompiledPack> {
  const packFile = path.resolve(path.dirname(sceneFile), scene.constraints ?? '');
  const shown = show(packFile);
  let text: string;
  try {
    text = await readSourceFile(packFile, shown);
  } catch (e) {
    if (e instanceof SourceError) throw e;
    // The code only: the system's message would carry the absolute path.
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(
      `constraints: cannot read ${shown}: ${code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable')}`,
    );
  }
  const result = compilePack(text, shown, scenePackOptions(scene));
  if (!result.pack) {
    throw new SourceError(result.problems.filter((p) => p.severity === 'error'));
  }
  return result.pack;
}
