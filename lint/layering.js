// The layer rule behind `npm run lint` (eslint.config.js holds the table it checks against): every
// source folder is listed with what it may import, and anything else fails with "Bad layering".
// An allowlist, as VS Code's code-layering rule: a folder nobody has listed yet may import nothing,
// so a new folder is constrained from its first file.
import { isBuiltin } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

/**
 * What one folder's own files may import.
 * @typedef {object} Layer
 * @property {string[]} imports folders under the repository root: `src/shared/**` is that folder
 *   and every folder below it, `src/server` that folder alone; or one module, named with its file
 *   extension (`src/server/logger.ts`). A folder may always import itself.
 * @property {string[]} packages npm packages by name (`react`, `@tanstack/*` for a scope), `*` for
 *   any package, `node:*` for Node's built-in modules.
 */

/** @param {string} folder @param {string} pattern */
function folderMatches(folder, pattern) {
  if (pattern.endsWith('/**')) {
    const base = pattern.slice(0, -3);
    return folder === base || folder.startsWith(`${base}/`);
  }
  return folder === pattern;
}

/** The module path without its extension (`a/b.js` and `a/b.ts` name one module). @param {string} file */
const moduleOf = (file) => file.replace(/\.(?:[cm]?[jt]sx?)$/, '');

/** The package a bare import names (`react-dom/client` → `react-dom`), or `node:*` for a built-in. @param {string} specifier */
function packageOf(specifier) {
  if (specifier.startsWith('node:') || isBuiltin(specifier)) return 'node:*';
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** @param {string} name @param {string} pattern */
function packageMatches(name, pattern) {
  if (pattern === 'node:*') return name === 'node:*';
  if (pattern === '*') return name !== 'node:*';
  if (pattern.endsWith('/*')) return name.startsWith(pattern.slice(0, -1));
  return name === pattern;
}

/** @param {string[]} entries */
const list = (entries) => (entries.length > 0 ? entries.join(', ') : 'nothing');

/** @type {import('eslint').Rule.RuleModule} */
export const layering = {
  meta: {
    type: 'problem',
    docs: { description: 'Each source folder imports only what its entry in the layer table allows.' },
    schema: [{ type: 'object', additionalProperties: { type: 'object' } }],
  },
  create(context) {
    /** @type {Record<string, Layer>} */
    const layers = context.options[0] ?? {};
    const root = context.cwd;
    const file = path.relative(root, context.filename).split(path.sep).join('/');
    const folder = path.posix.dirname(file);
    const layer = layers[folder];
    if (!layer) {
      return {
        Program(node) {
          context.report({
            node,
            message: `Bad layering: ${folder} is not in the layer table (eslint.config.js). Add a line saying what its files may import.`,
          });
        },
      };
    }

    /** @param {import('estree').Node} node @param {unknown} specifier */
    function check(node, specifier) {
      if (typeof specifier !== 'string') return;
      if (specifier.startsWith('.')) {
        const target = path.posix.normalize(path.posix.join(folder, specifier));
        const isFolder = fs.existsSync(path.join(root, target)) && fs.statSync(path.join(root, target)).isDirectory();
        const targetFolder = isFolder ? target : path.posix.dirname(target);
        if (targetFolder === folder || layer.imports.some((pattern) => folderMatches(targetFolder, pattern))) return;
        if (!isFolder && layer.imports.some((pattern) => /\.[cm]?[jt]sx?$/.test(pattern) && moduleOf(pattern) === moduleOf(target))) return;
        context.report({ node, message: `Bad layering: ${folder} may not import ${targetFolder} (it may import ${list(layer.imports)}).` });
        return;
      }
      const name = packageOf(specifier);
      if (layer.packages.some((pattern) => packageMatches(name, pattern))) return;
      const what = name === 'node:*' ? `the Node built-in '${specifier}'` : `the package '${name}'`;
      context.report({ node, message: `Bad layering: ${folder} may not import ${what} (its packages: ${list(layer.packages)}).` });
    }

    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
      TSImportType: (node) => check(node.source, node.source.value),
    };
  },
};
