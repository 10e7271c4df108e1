'use strict';
// Artillery is hundreds of MB, so it is not part of the repository's install: the load-test
// command installs this package (loadtesting/, with its own lock file) the first time it runs.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const DIR = path.resolve(__dirname, '..');

function installedArtillery() {
  try {
    return JSON.parse(fs.readFileSync(path.join(DIR, 'node_modules', 'artillery', 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** Installs loadtesting/'s packages when artillery is missing or not the pinned version; returns artillery's bin. */
function ensureArtillery() {
  const pinned = JSON.parse(fs.readFileSync(path.join(DIR, 'package.json'), 'utf8')).dependencies.artillery;
  if (installedArtillery() !== pinned) {
    console.log(`loadtest: installing artillery ${pinned} into loadtesting/node_modules (once; a few minutes)`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const r = spawnSync(npm, ['install', '--no-audit', '--no-fund'], { cwd: DIR, stdio: 'inherit' });
    if (r.status !== 0 || installedArtillery() !== pinned) {
      throw new Error(
        `could not install artillery ${pinned} in loadtesting/ (npm exit ${r.status}); see npm's output above`,
      );
    }
  }
  return path.join(DIR, 'node_modules', 'artillery', 'bin', 'run');
}

module.exports = { ensureArtillery, DIR };
