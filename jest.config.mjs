// Jest runs in native ESM mode (NestJS 12 is ESM-only); @swc/jest strips types and
// keeps legacy decorators with metadata, which Nest's dependency injection reads.
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@stagecraft/protocol$': '<rootDir>/schemas/src/index.ts',
    '^@stagecraft/sdk$': '<rootDir>/sdk-ts/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['<rootDir>/{schemas,sdk-ts,server}/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // Generous: a test asserts behaviour; the time a busy 2-core machine takes is not what it is about.
  testTimeout: 120_000,
  // Native engines (sherpa-onnx, node-llama-cpp) keep process-wide state: every test file runs
  // in a fresh worker process (a worker is recycled once it has run a file).
  maxWorkers: 2,
  workerIdleMemoryLimit: '1MB',
};
