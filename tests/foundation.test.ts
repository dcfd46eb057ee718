import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { OPTIONS } from '../src/server/config.js';

const repoRoot = path.resolve(import.meta.dirname, '..');
const packageJson = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  name: string;
  private: boolean;
  engines: { node: string };
  scripts: Record<string, string>;
};

/** Parsed library and declaration files, shared by the probe programs (parsing lib.dom.d.ts and @types/node once). */
const parsedFiles = new Map<string, ts.SourceFile | undefined>();

/**
 * Type-checks each of `probes` (name → code) as if it were a file of the layer whose tsconfig is
 * `layer/tsconfig.json` (the files exist only in memory; one program for all) and returns the
 * messages of each one's errors.
 */
function typeErrorsIn<K extends string>(layer: string, probes: Record<K, string>): Record<K, string[]> {
  const configPath = path.join(repoRoot, layer, 'tsconfig.json');
  const { config } = ts.readConfigFile(configPath, ts.sys.readFile.bind(ts.sys));
  const options = ts.parseJsonConfigFileContent(config, ts.sys, path.dirname(configPath)).options;
  const files = new Map(Object.entries<string>(probes).map(([name, code]) => [path.join(repoRoot, layer, `__probe_${name}__.ts`), code]));
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (file) => files.has(file) || fileExists.call(host, file);
  host.readFile = (file) => files.get(file) ?? readFile.call(host, file);
  host.getSourceFile = (file, language, ...rest) => {
    const code = files.get(file);
    if (code !== undefined) return ts.createSourceFile(file, code, language, true);
    const key = `${JSON.stringify(language)}:${file}`;
    if (!parsedFiles.has(key)) parsedFiles.set(key, getSourceFile.call(host, file, language, ...rest));
    return parsedFiles.get(key);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  const errors = (file: string) =>
    ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  return Object.fromEntries(Object.keys(probes).map((name) => [name, errors(path.join(repoRoot, layer, `__probe_${name}__.ts`))])) as Record<K, string[]>;
}

const usesNode = 'export const cwd: string = process.cwd();\n';
const usesDom = "export const title: string = document.title + window.location.href;\n";

describe('the package', () => {
  it('is one private package named hearth, for Node 20 and later', () => {
    expect(packageJson.name).toBe('hearth');
    expect(packageJson.private).toBe(true);
    expect(packageJson.engines.node).toMatch(/^>=20(\.|$)/);
  });

  it('runs type check, lint, unit tests and end-to-end tests in that order for npm test, then the summary', () => {
    expect(packageJson.scripts.test).toBe('npm run typecheck && npm run lint && npm run test:unit && npm run test:e2e && node scripts/test-summary.mjs');
  });

  it('has the folders of the design', () => {
    for (const folder of ['src/shared', 'src/client', 'src/server', 'src/main', 'src/preload', 'src/renderer', 'build', 'docs', 'tests/e2e', 'bench']) {
      expect(fs.statSync(path.join(repoRoot, folder)).isDirectory(), folder).toBe(true);
    }
  });
});

describe('layer type environments (each layer tsconfig)', () => {
  const noProcess = [expect.stringContaining("Cannot find name 'process'")];
  const fetches = "export const get = (url: string) => fetch(url);\n";

  it('gives the renderer DOM types and no Node types', () => {
    expect(typeErrorsIn('src/renderer', { dom: usesDom, node: usesNode })).toEqual({ dom: [], node: noProcess });
  });

  it('gives shared code neither Node nor DOM types', () => {
    const errors = typeErrorsIn('src/shared', { dom: usesDom, node: usesNode });
    expect(errors.node).toEqual(noProcess);
    expect(errors.dom.join('\n')).toContain("Cannot find name 'document'");
  });

  it('gives the server and the Electron main process Node types', () => {
    expect(typeErrorsIn('src/server', { node: usesNode })).toEqual({ node: [] });
    expect(typeErrorsIn('src/main', { node: usesNode })).toEqual({ node: [] });
  });

  it('keeps the client core to web platform APIs (no Node types)', () => {
    expect(typeErrorsIn('src/client', { web: fetches, node: usesNode })).toEqual({ web: [], node: noProcess });
  });
});

describe('the server build (src/server/tsconfig.build.json)', () => {
  it('compiles no tests, test helpers or the store contract suite into dist', () => {
    const configPath = path.join(repoRoot, 'src/server/tsconfig.build.json');
    const { config } = ts.readConfigFile(configPath, ts.sys.readFile.bind(ts.sys));
    const { fileNames, options } = ts.parseJsonConfigFileContent(config, ts.sys, path.dirname(configPath));
    // Every file the program reaches is emitted: the included ones and whatever they import.
    const program = ts.createProgram(fileNames, options);
    const emitted = program.getSourceFiles().map((f) => path.relative(repoRoot, f.fileName)).filter((f) => f.startsWith('src/'));
    expect(emitted).toContain('src/server/index.ts');
    expect(emitted.filter((f) => /\.test\.ts$|test-support|\/contract\//.test(f))).toEqual([]);
  });
});

describe('README', () => {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

  it('lists every server option with its flag and environment variable', () => {
    const missing = OPTIONS.filter((o) => !readme.includes(`| \`--${o.flag}\` | \`${o.env}\` |`)).map((o) => o.flag);
    expect(missing).toEqual([]);
  });

  it('names only npm scripts that exist', () => {
    const named = [...readme.matchAll(/npm run ([a-z0-9:]+)/g)].map((m) => m[1]!);
    expect(named.filter((script) => !(script in packageJson.scripts))).toEqual([]);
  });
});
