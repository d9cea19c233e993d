/**
 * Three projects, one run:
 *  - node:        unit tests and the end-to-end tests through the real wx-server-sdk and the emulator
 *  - miniprogram: the real page under miniprogram-simulate (jsdom)
 *  - web:         the H5 jump page in headless Chromium
 * TypeScript is transpiled by ts-jest without type-checking; `npm run typecheck` does that once.
 */
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }],
};
// The function folder's package.json has the root's name ("genscheme"): kept out of jest's module map
// (no "Haste module naming collision"); tests read the folder's files by path.
const modulePathIgnorePatterns = ['<rootDir>/cloudfunctions/genScheme/package.json'];

/** @type {import('jest').Config} */
module.exports = {
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    {
      displayName: 'node',
      testEnvironment: 'node',
      transform,
      modulePathIgnorePatterns,
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/miniprogram/', '<rootDir>/test/web/'],
    },
    {
      displayName: 'miniprogram',
      testEnvironment: 'jsdom',
      transform,
      modulePathIgnorePatterns,
      testMatch: ['<rootDir>/test/miniprogram/**/*.test.ts'],
    },
    {
      displayName: 'web',
      testEnvironment: 'node',
      transform,
      modulePathIgnorePatterns,
      testMatch: ['<rootDir>/test/web/**/*.test.ts'],
    },
  ],
};
