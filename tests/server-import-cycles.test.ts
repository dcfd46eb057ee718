/**
 * The server's modules import each other without a cycle, type-only imports included: parts are
 * built in dependency order (app.ts), and a cycle is the first sign that one part reaches back
 * into another instead of receiving what it needs.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SERVER = path.resolve(import.meta.dirname, '../src/server');

/** Product modules of the server (tests and their support code may import anything). */
function serverModules(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'test-support' || entry.name === 'contract' ? [] : serverModules(full);
    return /\.ts$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** The server modules one file imports (static imports and re-exports). */
function importsOf(file: string, modules: ReadonlySet<string>): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const targets: string[] = [];
  for (const statement of source.statements) {
    if (!(ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement))) continue;
    const specifier = statement.moduleSpecifier;
    if (!specifier || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) continue;
    const target = path.resolve(path.dirname(file), specifier.text).replace(/\.js$/, '.ts');
    if (modules.has(target)) targets.push(target);
  }
  return targets;
}

/** One import cycle, as a path of module names, or undefined when there is none. */
function findCycle(graph: ReadonlyMap<string, string[]>): string[] | undefined {
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    const open = path.indexOf(node);
    if (open >= 0) return [...path.slice(open), node];
    if (done.has(node)) return undefined;
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    done.add(node);
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('server module graph', () => {
  it('has no import cycle', () => {
    const modules = new Set(serverModules(SERVER));
    const graph = new Map([...modules].map((file) => [file, importsOf(file, modules)]));
    const cycle = findCycle(graph)?.map((file) => path.relative(SERVER, file));
    expect(cycle).toBeUndefined();
  });

  it('finds a cycle when there is one', () => {
    expect(findCycle(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']]]))).toEqual(['a', 'b', 'c', 'a']);
  });
});
