// Lint, including the layer boundaries of docs/architecture.md: a bad import fails with
// "Bad layering". Node-only packages are listed once, here.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/** Packages that need Node (or Electron) and must never reach the renderer, client or shared code. */
const NODE_ONLY_PACKAGES = [
  'electron', 'electron-updater', 'uiohook-napi', 'better-sqlite3', 'fastify', '@fastify/*', 'pino',
  'ws', 'pg', 'ioredis', 'prom-client', '@roamhq/wrtc', 'discord.js', 'image-size', 'playwright-core',
];

const nodeBuiltins = { group: ['node:*'], message: 'Bad layering: Node built-ins are not available here.' };
const nodeOnly = { group: NODE_ONLY_PACKAGES, message: 'Bad layering: this package needs Node or Electron.' };
const layer = (folders, why) => ({ group: folders.flatMap((f) => [`**/${f}/**`, `**/${f}`]), message: `Bad layering: ${why}` });

const serverOnly = layer(['renderer', 'main', 'preload', 'client'], 'the server imports only shared.');

/** One no-restricted-imports rule per source folder (a later rule for a folder replaces an earlier one). */
function boundary(files, patterns) {
  return { files, rules: { 'no-restricted-imports': ['error', { patterns }] } };
}

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'release/**', 'node_modules/**', 'data/**', 'bench/results/**', 'tests/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  boundary(['src/shared/**/*.ts'], [
    nodeBuiltins,
    nodeOnly,
    { group: ['react', 'react-dom', 'simple-peer', '@tanstack/*'], message: 'Bad layering: shared is pure TypeScript (schema libraries only).' },
    layer(['client', 'server', 'main', 'preload', 'renderer'], 'shared may import only shared.'),
  ]),
  boundary(['src/client/**/*.ts'], [
    // The client core runs in Electron main and in the browser: web platform APIs only.
    nodeBuiltins,
    nodeOnly,
    { group: ['react', 'react-dom'], message: 'Bad layering: the client core has no UI.' },
    layer(['server', 'main', 'preload', 'renderer'], 'client may import only shared.'),
  ]),
  boundary(['src/renderer/**/*.{ts,tsx}'], [
    nodeBuiltins,
    nodeOnly,
    layer(['server', 'main', 'preload'], 'the renderer talks to main only through HearthBridge (src/shared/ipc).'),
  ]),
  boundary(['src/server/**/*.ts'], [serverOnly]),
  // Inside the server: domain/ (permissions, wire shapes, token authentication) is the floor that
  // REST, the gateway and voice share; the gateway and voice never reach into the REST routes.
  boundary(['src/server/domain/**/*.ts'], [
    serverOnly,
    layer(['api', 'gateway', 'voice', 'scale', 'ops', 'presence'], 'server/domain is the floor: it imports only shared and store.'),
    { group: ['**/context.js', '**/app.js'], message: 'Bad layering: server/domain is the floor: it takes what it needs as parameters.' },
  ]),
  boundary(['src/server/gateway/**/*.ts', 'src/server/voice/**/*.ts'], [
    serverOnly,
    layer(['api'], 'the gateway and voice share server/domain with the REST routes, not the routes themselves.'),
  ]),
  boundary(['src/main/**/*.ts'], [layer(['renderer', 'server'], 'main may import shared and client only.')]),
  boundary(['src/preload/**/*.ts'], [
    layer(['renderer', 'server', 'client', 'main'], 'the preload exposes the bridge contract only.'),
  ]),
  {
    // Tests may reach across layers (a client test starts a real server); the boundaries bind product code.
    files: ['src/**/*.test.{ts,tsx}', 'src/**/test-support/**', 'src/**/*.contract.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
