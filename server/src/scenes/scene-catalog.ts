import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { formatProblem, SourceError } from '../common/source-error.js';
import { compilePack } from '../direction/compile-pack.js';
import type { CompiledPack } from '../direction/compiled-pack.js';
import { parseSceneDefinition, type SceneDefinition } from './scene-definition.js';

export interface SceneFile {
  file: string;
  scene: SceneDefinition;
  /** The scene's compiled constraint pack, when its file names one. */
  pack?: CompiledPack;
}

/** A scene file that could not be loaded, with every problem found in it. */
export interface SceneFileProblem {
  file: string;
  problems: string[];
}

const SCENE_FILE = /\.(ya?ml|json)$/i;

/** The scene files of the scenes folder, loaded and validated at start. */
export class SceneCatalog {
  private readonly scenes = new Map<string, SceneFile>();
  readonly problems: SceneFileProblem[] = [];

  constructor(readonly dir: string) {}

  /** Loads every scene file; a bad file is reported and skipped, never fatal for the others. */
  async load(): Promise<this> {
    this.scenes.clear();
    this.problems.length = 0;
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => SCENE_FILE.test(n)).sort();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return this;
      throw e;
    }
    for (const name of names) {
      const file = path.join(this.dir, name);
      try {
        const scene = parseSceneDefinition(await readFile(file, 'utf8'), path.relative(process.cwd(), file));
        const clash = this.scenes.get(scene.id);
        if (clash) {
          this.problems.push({ file, problems: [`scene id "${scene.id}" is already used by ${clash.file}`] });
          continue;
        }
        const pack = scene.constraints ? await loadScenePack(file, scene) : undefined;
        this.scenes.set(scene.id, { file, scene, ...(pack ? { pack } : {}) });
      } catch (e) {
        const problems = e instanceof SourceError ? e.problems.map(formatProblem) : [String((e as Error).message)];
        this.problems.push({ file, problems });
      }
    }
    return this;
  }

  get(id: string): SceneDefinition | undefined {
    return this.scenes.get(id)?.scene;
  }

  /** The compiled constraint pack of scene `id`, if it has one. */
  pack(id: string): CompiledPack | undefined {
    return this.scenes.get(id)?.pack;
  }

  list(): SceneFile[] {
    return [...this.scenes.values()];
  }

  /** The problems of the file that would have defined scene `id`, if any file by that name failed. */
  problemFor(id: string): SceneFileProblem | undefined {
    return this.problems.find((p) => path.basename(p.file).replace(SCENE_FILE, '') === id);
  }
}

/** Compiles the pack a scene file names, checking its NPC ids against the scene's cast. */
async function loadScenePack(sceneFile: string, scene: SceneDefinition): Promise<CompiledPack> {
  const packFile = path.resolve(path.dirname(sceneFile), scene.constraints ?? '');
  const shown = path.relative(process.cwd(), packFile);
  let text: string;
  try {
    text = await readFile(packFile, 'utf8');
  } catch (e) {
    throw new Error(`constraints: cannot read ${shown}: ${(e as Error).message}`);
  }
  const knownCast = scene.cast.map((m) => ({
    id: m.id,
    ...(m.role ? { role: m.role } : {}),
    ...(m.faction ? { faction: m.faction } : {}),
    ...(m.stance ? { stance: m.stance } : {}),
  }));
  const result = compilePack(text, shown, { knownCast });
  if (!result.pack) {
    throw new SourceError(result.problems.filter((p) => p.severity === 'error'));
  }
  return result.pack;
}
