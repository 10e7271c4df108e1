#!/usr/bin/env node
// Runs the whole test suite (jest in native ESM mode) and closes with one plain
// summary line: "Tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const jestBin = path.join(path.dirname(require.resolve('jest/package.json')), 'bin', 'jest.js');
const resultsDir = path.resolve('.stagecraft');
const results = path.join(resultsDir, 'jest-results.json');
mkdirSync(resultsDir, { recursive: true });
rmSync(results, { force: true });

const run = spawnSync(
  process.execPath,
  [
    '--experimental-vm-modules',
    '--no-warnings=ExperimentalWarning',
    jestBin,
    '--json',
    `--outputFile=${results}`,
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit' },
);

let summary = 'Tests: 0 passed, 0 failed, 0 skipped';
try {
  const r = JSON.parse(readFileSync(results, 'utf8'));
  // Jest drops the console output of a file whose tests all skipped: name every skipped test here,
  // so no skip is silent (each file prints its reason when run alone).
  const skipped = r.testResults.flatMap((file) =>
    file.assertionResults
      .filter((a) => a.status === 'pending' || a.status === 'todo')
      .map((a) => `  ${path.relative(process.cwd(), file.name)}: ${a.title}`),
  );
  if (skipped.length > 0) console.log(`\nSkipped (each file prints why when run alone):\n${skipped.join('\n')}`);
  summary = `Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`;
  if (r.numRuntimeErrorTestSuites > 0) summary += ` (${r.numRuntimeErrorTestSuites} suites failed to run)`;
} catch {
  summary += ' (no results written)';
}
console.log(`\n${summary}`);
process.exit(run.status ?? 1);
