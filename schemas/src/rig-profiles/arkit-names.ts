import { ARKIT_BLENDSHAPES } from '../blendshapes.js';
import type { RigProfile } from '../rig-profiles.js';
import type { BlendshapeName } from '../vocabulary.js';

function renamed(rename: (name: BlendshapeName) => string): RigProfile['curves'] {
  return Object.fromEntries(ARKIT_BLENDSHAPES.map((name) => [name, { [rename(name)]: 1 }])) as RigProfile['curves'];
}

/**
 * Morph targets named exactly as ARKit names them (`jawOpen`, `eyeBlinkLeft`…): Ready Player Me
 * avatars and most ARKit-ready glTF/VRM heads.
 */
export const GENERIC: RigProfile = {
  name: 'generic',
  description: 'ARKit-named morph targets (Ready Player Me, ARKit-ready glTF and VRM heads)',
  curves: renamed((name) => name),
};

/**
 * The capitalised names of Live Link Face (`JawOpen`, `EyeBlinkLeft`…): Unreal Live Link curves,
 * MetaHuman's ARKit mapping pose, and VRM "perfect sync" models.
 */
export const LIVE_LINK: RigProfile = {
  name: 'livelink',
  description: 'Live Link Face curve names (Unreal Live Link, MetaHuman ARKit pose, VRM perfect sync)',
  curves: renamed((name) => name.charAt(0).toUpperCase() + name.slice(1)),
};
