import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../', import.meta.url));
const built = existsSync(path.join(root, 'server/dist/cli.js'));
if (!built) console.warn('stagecraft command test skipped: server/dist/cli.js is not built (npm run build)');

describe('the stagecraft command', () => {
  it('is a bin of the repository root and of the server package', () => {
    const rootBin = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).bin.stagecraft;
    const serverBin = JSON.parse(readFileSync(path.join(root, 'server/package.json'), 'utf8')).bin.stagecraft;
    expect(path.join(root, rootBin)).toBe(path.join(root, 'server', serverBin));
    accessSync(path.join(root, rootBin), constants.X_OK);
  });

  (built ? it : it.skip)(
    'runs as `npx stagecraft` from the root, reading paths from there, and names a missing file in one line',
    async () => {
      const ok = await run('npx', ['stagecraft', 'constraints', 'lint', 'constraints/timed-ambush.yaml'], {
        cwd: root,
      });
      expect(ok.stdout).toBe('1 file: 0 errors, 0 warnings\n');
      const missing = await run('npx', ['stagecraft', 'constraints', 'lint', 'constraints/nope.yaml'], {
        cwd: root,
      }).catch((e: { code: number; stderr: string }) => e);
      expect(missing).toMatchObject({
        code: 1,
        stderr: 'stagecraft: cannot read constraints/nope.yaml: no such file\n',
      });
    },
    60_000,
  );
});
