import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** Lints `code` as if it were the file at `filePath`, with the project's real config. */
async function lintAs(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.message);
}

describe('layer boundaries (eslint)', () => {
  const cases: [string, string][] = [
    ['src/renderer/features/chat/Bad.tsx', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n"],
    ['src/renderer/app/Bad.tsx', "import fs from 'node:fs';\nexport const x = fs;\n"],
    ['src/renderer/app/Bad.ts', "import { buildServer } from '../../server/app.js';\nexport const x = buildServer;\n"],
    ['src/renderer/app/Bad2.ts', "import Database from 'better-sqlite3';\nexport const x = Database;\n"],
    ['src/shared/bad.ts', "import { buildServer } from '../server/app.js';\nexport const x = buildServer;\n"],
    ['src/shared/bad2.ts', "import path from 'node:path';\nexport const x = path;\n"],
    ['src/client/bad.ts', "import WebSocket from 'ws';\nexport const x = WebSocket;\n"],
    ['src/server/bad.ts', "import { App } from '../renderer/app/App.js';\nexport const x = App;\n"],
    ['src/server/bad2.ts', "import x from '../main/index.js';\nexport default x;\n"],
    ['src/server/bad3.ts', "import x from '../preload/index.js';\nexport default x;\n"],
    ['src/server/gateway/bad.ts', "import { requireUser } from '../api/auth.js';\nexport const x = requireUser;\n"],
    ['src/server/voice/bad.ts', "import { Buckets } from '../api/rate-limit.js';\nexport const x = Buckets;\n"],
    ['src/server/voice/bad2.ts', "import { App } from '../../renderer/app/App.js';\nexport const x = App;\n"],
    ['src/server/domain/bad.ts', "import { Gateway } from '../gateway/gateway.js';\nexport const x = Gateway;\n"],
    ['src/server/domain/bad2.ts', "import type { ServerContext } from '../context.js';\nexport type X = ServerContext;\n"],
    ['src/renderer/app/Bad3.ts', "import x from '../../main/index.js';\nexport default x;\n"],
    ['src/renderer/app/Bad4.ts', "import WebSocket from 'ws';\nexport const x = WebSocket;\n"],
    ['src/shared/bad3.ts', "import { HearthClient } from '../client/client.js';\nexport const x = HearthClient;\n"],
    ['src/shared/bad4.ts', "import React from 'react';\nexport const x = React;\n"],
    ['src/client/bad2.ts', "import React from 'react';\nexport const x = React;\n"],
    ['src/client/state/bad.ts', "import { buildServer } from '../../server/app.js';\nexport const x = buildServer;\n"],
    ['src/preload/bad.ts', "import { HearthClient } from '../client/client.js';\nexport const x = HearthClient;\n"],
    ['src/main/bad.ts', "import { App } from '../renderer/app/App.js';\nexport const x = App;\n"],
    ['src/renderer/app/Bad5.ts', "export const load = () => import('node:fs');\n"],
    ['src/renderer/app/Bad6.ts', "export { buildServer } from '../../server/app.js';\n"],
    ['src/renderer/app/Bad7.ts', "export type Db = import('better-sqlite3').Database;\n"],
  ];

  it.each(cases)('refuses the bad import in %s', async (filePath, code) => {
    const messages = await lintAs(filePath, code);
    expect(messages.some((m) => m.includes('Bad layering'))).toBe(true);
  });

  it('refuses every file of a folder that is not in the layer table, until it gets its line', async () => {
    for (const filePath of ['src/server/brand-new/thing.ts', 'src/renderer/features/voice/engine/Engine.ts', 'src/widgets/widget.ts']) {
      const messages = await lintAs(filePath, 'export const x = 1;\n');
      expect(messages).toEqual([`Bad layering: ${filePath.slice(0, filePath.lastIndexOf('/'))} is not in the layer table (eslint.config.js). Add a line saying what its files may import.`]);
    }
  });

  it('says what the folder may import instead', async () => {
    expect(await lintAs('src/shared/bad.ts', "import { buildServer } from '../server/app.js';\nexport const x = buildServer;\n")).toEqual([
      'Bad layering: src/shared may not import src/server (it may import src/shared/**).',
    ]);
    expect(await lintAs('src/client/bad.ts', "import WebSocket from 'ws';\nexport const x = WebSocket;\n")).toEqual([
      "Bad layering: src/client may not import the package 'ws' (its packages: nothing).",
    ]);
  });

  it('leaves tests and test support free to cross layers', async () => {
    expect(await lintAs('src/shared/thing.test.ts', "import { buildServer } from '../server/app.js';\nexport const x = buildServer;\n")).toEqual([]);
    expect(await lintAs('src/brand-new/test-support/thing.ts', "import fs from 'node:fs';\nexport const x = fs;\n")).toEqual([]);
  });

  it('allows the imports the design permits', async () => {
    expect(await lintAs('src/renderer/app/Good.ts', "import { Permission } from '../../shared/permissions.js';\nexport const x = Permission;\n")).toEqual([]);
    expect(await lintAs('src/server/good.ts', "import { z } from 'zod';\nimport fs from 'node:fs';\nexport const x = [z, fs];\n")).toEqual([]);
    expect(await lintAs('src/server/gateway/good.ts', "import { canView } from '../domain/access.js';\nexport const x = canView;\n")).toEqual([]);
    expect(await lintAs('src/server/domain/good.ts', "import type { Store } from '../store/store.js';\nexport type X = Store;\n")).toEqual([]);
    // A single module may be allowed by name (the domain takes the logger's type, not the whole server folder).
    expect(await lintAs('src/server/domain/good2.ts', "import type { Logger } from '../logger.js';\nexport type X = Logger;\n")).toEqual([]);
    expect(await lintAs('src/shared/good.ts', "import { z } from 'zod';\nexport const x = z;\n")).toEqual([]);
    expect(await lintAs('src/renderer/features/chat/Good.tsx', "import { createRoot } from 'react-dom/client';\nimport { reduce } from '../../../client/state/reducer.js';\nexport const x = [createRoot, reduce];\n")).toEqual([]);
    expect(await lintAs('src/main/good.ts', "import { app } from 'electron';\nimport { HearthClient } from '../client/client.js';\nexport const x = [app, HearthClient];\n")).toEqual([]);
  });
});
