// Runs the load generator in its own process and reads its report lines, calling back on each
// phase marker so the orchestrator can sample the server at the right moment.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { endWithBench } from './server.mjs';

const CLI = path.resolve(import.meta.dirname, '../loadgen/cli.mjs');

/**
 * @param {string} scenario
 * @param {Record<string, string | number | undefined>} flags e.g. {target, tokens, count: 100}
 * @param {object} [hooks]
 * @param {(line: Record<string, any>) => void} [hooks.onPhase]
 * @param {(line: Record<string, any>) => void} [hooks.onProgress]
 * @param {(pid: number) => void} [hooks.onSpawn] the load generator's pid (to read its CPU use)
 * @param {number} [hooks.timeoutMs]
 * @returns {Promise<Record<string, any>>} the `result` line
 */
export function runLoadgen(scenario, flags, hooks = {}) {
  const args = Object.entries(flags)
    .filter(([, value]) => value !== undefined)
    .flatMap(([name, value]) => [`--${name}`, String(value)]);
  const child = spawn(process.execPath, [CLI, scenario, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  endWithBench(child);
  if (child.pid) hooks.onSpawn?.(child.pid);
  let stderr = '';
  /** @type {Record<string, any> | undefined} */
  let result;
  let buffered = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    buffered += chunk;
    let newline;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (!line.trim()) continue;
      const message = JSON.parse(line);
      if (message.type === 'phase') hooks.onPhase?.(message);
      else if (message.type === 'progress') hooks.onProgress?.(message);
      else if (message.type === 'result') result = message;
    }
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), hooks.timeoutMs ?? 15 * 60_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0 && result) resolve(result);
      else reject(new Error(`loadgen ${scenario} failed (${signal ?? code}): ${stderr.trim() || 'no result'}`));
    });
  });
}
