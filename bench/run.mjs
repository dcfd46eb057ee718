#!/usr/bin/env node
// `npm run bench [-- --quick | --only fanout,e2e | --runs N | --out DIR | --fresh-seed | --cpu-prof]`
//
// Runs every scenario against the built server (as its own process) with the load generator in
// other processes, repeats each scenario, and writes bench/results/latest.json and latest.md with
// the machine the figures came from. docs/performance.md explains each scenario.
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { machineInfo } from './lib/machine.mjs';
import { writeResults } from './lib/report.mjs';
import { seededData } from './lib/seed-cache.mjs';
import { ensureServerBuilt, root, startServer } from './lib/server.mjs';
import { summarizeRuns } from './lib/stats.mjs';
import { runCompression, runEndToEnd, runFanout, runIdentify, runIdle, runResume } from './scenarios/gateway.mjs';
import { findChromium, runClient } from './scenarios/client.mjs';
import { runStorage } from './scenarios/storage.mjs';
import { runVoice } from './scenarios/voice.mjs';
import { runBodies } from './scenarios/bodies.mjs';

/**
 * Sizes per mode. `full` is the (under 20 minutes on 2 cores), `quick` the same scenarios
 * scaled down (under 2 minutes), `tiny` only proves the code runs (the smoke test).
 */
const MODES = {
  full: {
    runs: 5,
    pools: [{ name: 'community', users: 1000, guildSize: 1000 }, { name: 'idle', users: 10_000, guildSize: 100 }],
    identify: { users: 1000, concurrency: 50, runs: 3 },
    idle: { sessions: 10_000, concurrency: 100, holdSeconds: 30, runs: 3 },
    fanout: { members: 1000, rates: [25, 50, 100, 200, 400, 800], stepSeconds: 5, concurrency: 50, runs: 3 },
    e2e: { rate: 10, seconds: 10 },
    resume: { missed: 100, resumes: 10 },
    storage: { messages: 1_000_000, durableInserts: 1000, reads: 10_000 },
    compression: { messages: 1000, runs: 3 },
    client: { history: 100, loadedMessages: 10_000, liveMessages: 200, runs: 2 },
    voice: { participants: 4, impulses: 40, intervalMs: 400, warmupMs: 2000, steadySeconds: 5 },
    bodies: { rounds: 10 },
  },
  quick: {
    runs: 3,
    pools: [{ name: 'community', users: 100, guildSize: 100 }, { name: 'idle', users: 300, guildSize: 100 }],
    identify: { users: 100, concurrency: 50 },
    idle: { sessions: 300, concurrency: 50, holdSeconds: 2 },
    fanout: { members: 100, rates: [25, 50, 100], stepSeconds: 1.5, concurrency: 50 },
    e2e: { rate: 20, seconds: 2 },
    resume: { missed: 100, resumes: 3 },
    storage: { messages: 50_000, durableInserts: 300, reads: 1000 },
    compression: { messages: 300 },
    client: { history: 100, loadedMessages: 300, liveMessages: 100 },
    voice: { participants: 3, impulses: 10, intervalMs: 300, warmupMs: 700, steadySeconds: 1.5 },
    bodies: { rounds: 5 },
  },
  tiny: {
    runs: 2,
    settleMs: 100,
    pools: [{ name: 'community', users: 6, guildSize: 6 }, { name: 'idle', users: 4, guildSize: 2 }],
    identify: { users: 4, concurrency: 2 },
    idle: { sessions: 4, concurrency: 2, holdSeconds: 0.5 },
    fanout: { members: 4, rates: [10], stepSeconds: 0.5, concurrency: 2 },
    e2e: { rate: 10, seconds: 0.5 },
    resume: { missed: 5, resumes: 2 },
    storage: { messages: 2000, durableInserts: 50, reads: 100 },
    compression: { messages: 10 },
    client: { history: 5, loadedMessages: 60, liveMessages: 10 },
    voice: { participants: 2, impulses: 4, intervalMs: 300, warmupMs: 300, steadySeconds: 0.5 },
    bodies: { rounds: 1 },
  },
};

/** Every scenario, in run order: title, how to run it with a mode's sizes. */
const SCENARIOS = {
  identify: { title: 'Identify ramp', run: (/** @type {any} */ ctx, /** @type {any} */ m) => runIdentify(ctx, m.identify) },
  idle: { title: 'Idle capacity', run: (/** @type {any} */ ctx, /** @type {any} */ m) => runIdle(ctx, m.idle) },
  fanout: { title: 'Fanout to one guild', run: (/** @type {any} */ ctx, /** @type {any} */ m) => runFanout(ctx, m.fanout) },
  e2e: { title: 'End to end (POST → MESSAGE_CREATE at another client)', run: (/** @type {any} */ ctx, /** @type {any} */ m) => runEndToEnd(ctx, m.e2e) },
  resume: { title: 'Resume (reconnect → RESUMED)', run: (/** @type {any} */ ctx, /** @type {any} */ m) => runResume(ctx, m.resume) },
  storage: { title: 'Storage (SQLite message store)', run: (/** @type {any} */ ctx, /** @type {any} */ m) => runStorage(ctx, m.storage) },
  compression: { title: 'Compression (zlib-stream)', run: (/** @type {any} */ ctx, /** @type {any} */ m) => runCompression(ctx, m.compression) },
  client: { title: 'Web client (Chromium)', run: (/** @type {any} */ ctx, /** @type {any} */ m) => runClient(ctx, m.client) },
  voice: { title: 'Voice (WebRTC mesh, one speaker)', run: (/** @type {any} */ ctx, /** @type {any} */ m) => runVoice(ctx, m.voice) },
  bodies: { title: 'Hostile bodies (4 × 11 MB without a token, /healthz meanwhile)', run: (/** @type {any} */ ctx, /** @type {any} */ m) => runBodies(ctx, m.bodies) },
};

/**
 * Scenarios of the issue that this suite does not run yet, and why (reported with the results).
 * @type {{ name: string, reason: string }[]}
 */
const NOT_INCLUDED = [];

function parseOptions() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean' },
      tiny: { type: 'boolean' },
      only: { type: 'string' },
      runs: { type: 'string' },
      out: { type: 'string' },
      'fresh-seed': { type: 'boolean' },
      'cpu-prof': { type: 'boolean' },
      'existing-build': { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`Usage: npm run bench -- [--quick] [--only ${Object.keys(SCENARIOS).join(',')}] [--runs N] [--out DIR] [--fresh-seed] [--cpu-prof] [--existing-build]\n`);
    process.exit(0);
  }
  const mode = values.tiny ? 'tiny' : values.quick ? 'quick' : 'full';
  const only = values.only ? values.only.split(',') : Object.keys(SCENARIOS);
  const unknown = only.filter((name) => !(name in SCENARIOS));
  if (unknown.length > 0) throw new Error(`Unknown scenario(s): ${unknown.join(', ')}. Known: ${Object.keys(SCENARIOS).join(', ')}`);
  const runs = values.runs === undefined ? undefined : Number(values.runs);
  if (runs !== undefined && !(Number.isInteger(runs) && runs >= 1)) throw new Error('--runs must be a whole number ≥ 1');
  return { mode, only, runs, out: path.resolve(values.out ?? path.join(root, 'bench/results')), freshSeed: Boolean(values['fresh-seed']), cpuProf: Boolean(values['cpu-prof']), existingBuild: Boolean(values['existing-build']) };
}

/**
 * Checks that the open-files limit allows the idle scenario's sessions (one socket each in the
 * server and in the load generator), and scales the scenario down with a note when it does not.
 * @param {any} sizes
 * @param {number} limit
 * @param {(message: string) => void} log
 */
function fitToFileLimit(sizes, limit, log) {
  const needed = sizes.idle.sessions + 512;
  if (limit >= needed) return undefined;
  const sessions = Math.max(10, limit - 512);
  const note = `open files limit is ${limit}: idle capacity held ${sessions} sessions instead of ${sizes.idle.sessions} (raise it with ulimit -n ${needed})`;
  log(`bench: ${note}`);
  sizes.idle = { ...sizes.idle, sessions };
  return note;
}

/**
 * Why a scenario cannot run on this machine (said in the results), or undefined when it can.
 * @param {string} name
 */
function unavailableReason(name) {
  if (name !== 'client') return undefined;
  try {
    findChromium();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Runs one scenario with its context; a failure is recorded in its results, not thrown, so the
 * other scenarios still run.
 * @param {string} name
 * @param {{ options: ReturnType<typeof parseOptions>, sizes: any, seeded: import('./lib/seed-cache.mjs').SeededData, profileDir: string, log: (message: string) => void }} shared
 */
async function runScenario(name, { options, sizes, seeded, profileDir, log }) {
  const scenario = SCENARIOS[/** @type {keyof typeof SCENARIOS} */ (name)];
  const runs = options.runs ?? sizes[name].runs ?? sizes.runs;
  const nodeArgs = options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  /** @type {import('./scenarios/types.mjs').BenchContext} */
  const ctx = {
    mode: /** @type {'quick' | 'full' | 'tiny'} */ (options.mode),
    runs,
    settleMs: sizes.settleMs ?? 1000,
    existingBuild: options.existingBuild,
    pools: seeded.pools,
    startServer: (serverOptions = {}) => startServer({ ...serverOptions, copyFrom: seeded.dataDir, nodeArgs }),
    log,
  };
  const started = performance.now();
  log(`bench: ${name} (${runs} runs)…`);
  try {
    const result = await scenario.run(ctx, sizes);
    return { title: scenario.title, params: result.params, figures: summarizeRuns(result.runs), runs: result.runs, details: result.details ?? {}, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    log(`bench: ${name} failed: ${error instanceof Error ? error.stack : String(error)}`);
    return { title: scenario.title, error: error instanceof Error ? error.message : String(error) };
  }
}

async function main() {
  const options = parseOptions();
  const log = (/** @type {string} */ message) => process.stderr.write(`${message}\n`);
  const started = performance.now();
  const sizes = structuredClone(MODES[/** @type {keyof typeof MODES} */ (options.mode)]);
  const machine = machineInfo();
  const [loadAtStart = 0] = os.loadavg();
  if (loadAtStart > machine.cores) log(`bench: the 1-minute load average is ${loadAtStart.toFixed(1)} on ${machine.cores} cores: other work will slow the figures`);
  const notes = [fitToFileLimit(sizes, machine.openFilesLimit, log), ensureServerBuilt({ whenMissingOnly: options.existingBuild })].filter(Boolean);
  const seeded = await seededData(sizes.pools, { fresh: options.freshSeed, log });
  const profileDir = path.join(options.out, 'profiles');
  if (options.cpuProf) fs.mkdirSync(profileDir, { recursive: true });

  /** @type {Record<string, any>} */
  const scenarios = {};
  const notIncluded = [...NOT_INCLUDED];
  /** Everything measured so far, as latest.json holds it (written after each scenario, so a crash loses nothing). */
  const collect = () => ({
    generatedAt: new Date().toISOString(),
    mode: options.mode,
    runs: options.runs ?? sizes.runs,
    machine,
    // Other processes competing for the cores change every figure, so the load is kept with them.
    loadAverage: { atStart: loadAtStart, atEnd: os.loadavg()[0] },
    durationSeconds: (performance.now() - started) / 1000,
    seedSeconds: seeded.seedSeconds,
    notes,
    scenarios,
    notIncluded,
  });
  for (const name of options.only) {
    const unavailable = unavailableReason(name);
    if (unavailable) {
      log(`bench: ${name} skipped: ${unavailable}`);
      notIncluded.push({ name, reason: unavailable });
      continue;
    }
    scenarios[name] = await runScenario(name, { options, sizes, seeded, profileDir, log });
    writeResults(options.out, collect());
  }
  writeResults(options.out, collect());
  log(`bench: wrote ${path.join(options.out, 'latest.json')} and latest.md in ${Math.round((performance.now() - started) / 1000)} s`);
  process.exitCode = Object.values(scenarios).some((s) => s.error) ? 1 : 0;
}

main().catch((error) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
