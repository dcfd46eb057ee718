// Lint, including the layer boundaries of docs/architecture.md: every source folder is listed in
// LAYERS with what it may import, and any other import fails with "Bad layering" (lint/layering.js).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { layering } from './lint/layering.js';

/** Code that runs in Node (the server, Electron main) may use any package and Node's built-ins. */
const NODE_PACKAGES = ['*', 'node:*'];

/** shared: pure TypeScript that runs anywhere (no Node, no DOM); schema libraries only. */
const SHARED = { imports: ['src/shared/**'], packages: ['zod'] };
/** The client core runs in Electron main and in the browser: web platform APIs only, no UI. */
const CLIENT = { imports: ['src/client/**', 'src/shared/**'], packages: [] };
/** The server imports only shared code. */
const SERVER = { imports: ['src/server/**', 'src/shared/**'], packages: NODE_PACKAGES };
/**
 * server/domain (permissions, wire shapes, token authentication) is the floor that REST, the
 * gateway and voice share: it imports shared code, the store, and the bus and logger types —
 * never the routes, the gateway or the context it is handed its parts by.
 */
const SERVER_DOMAIN = {
  imports: ['src/server/domain', 'src/server/store', 'src/server/bus/events.ts', 'src/server/logger.ts', 'src/shared/**'],
  packages: NODE_PACKAGES,
};
/** The gateway and voice share server/domain with the REST routes, not the routes themselves. */
const SERVER_REALTIME = {
  imports: ['src/server', 'src/server/bus', 'src/server/domain', 'src/server/gateway', 'src/server/ops', 'src/server/presence',
    'src/server/scale', 'src/server/store/**', 'src/server/voice', 'src/shared/**'],
  packages: NODE_PACKAGES,
};
/** Electron main is a thin shell over the client core. */
const MAIN = { imports: ['src/main/**', 'src/client/**', 'src/shared/**'], packages: NODE_PACKAGES };
/** The preload exposes the bridge contract and nothing else. */
const PRELOAD = { imports: ['src/shared/**'], packages: ['electron'] };
/** The renderer runs in Chromium and talks to main only through HearthBridge (src/shared/ipc). */
const RENDERER = {
  imports: ['src/renderer/**', 'src/client/**', 'src/shared/**'],
  packages: ['react', 'react-dom', '@tanstack/react-virtual', 'simple-peer'],
};

/**
 * What each source folder's own files may import (its subfolders need their own line). A folder
 * missing here fails the lint from its first file: add it with the layer it belongs to.
 */
const LAYERS = {
  'src/shared': SHARED,
  'src/shared/ipc': SHARED,
  'src/shared/protocol': SHARED,

  'src/client': CLIENT,
  'src/client/state': CLIENT,

  'src/server': SERVER,
  'src/server/api': SERVER,
  'src/server/bus': SERVER,
  'src/server/domain': SERVER_DOMAIN,
  'src/server/gateway': SERVER_REALTIME,
  'src/server/ops': SERVER,
  'src/server/presence': SERVER,
  'src/server/scale': SERVER,
  'src/server/store': SERVER,
  'src/server/store/contract': SERVER,
  'src/server/store/postgres': SERVER,
  'src/server/store/sqlite': SERVER,
  'src/server/voice': SERVER_REALTIME,

  'src/main': MAIN,
  'src/preload': PRELOAD,

  'src/renderer': RENDERER,
  'src/renderer/app': RENDERER,
  'src/renderer/components': RENDERER,
  'src/renderer/features/auth': RENDERER,
  'src/renderer/features/chat': RENDERER,
  'src/renderer/features/chat/markdown': RENDERER,
  'src/renderer/features/desktop': RENDERER,
  'src/renderer/features/guilds': RENDERER,
  'src/renderer/features/guilds/settings': RENDERER,
  'src/renderer/features/presence': RENDERER,
  'src/renderer/features/settings': RENDERER,
  'src/renderer/features/voice': RENDERER,
};

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
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { hearth: { rules: { layering } } },
    rules: { 'hearth/layering': ['error', LAYERS] },
  },
  {
    // Tests may reach across layers (a client test starts a real server); the boundaries bind product code.
    files: ['src/**/*.test.{ts,tsx}', 'src/**/test-support/**', 'src/**/test-support.{ts,tsx}', 'src/**/*.contract.ts'],
    rules: { 'hearth/layering': 'off' },
  },
);
