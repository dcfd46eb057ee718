// Shapes shared by the orchestrator and its scenarios (JSDoc types only).

/**
 * @typedef {object} SeedPool
 * @property {string} tokensFile
 * @property {number} users
 * @property {{ id: string, channelId: string, members: number }[]} guilds
 */

/**
 * @typedef {object} BenchContext
 * @property {'quick' | 'full' | 'tiny'} mode
 * @property {number} runs repeated runs per scenario
 * @property {number} settleMs pause before an "after" reading, for the server to finish its work
 * @property {Record<string, SeedPool>} pools seeded users, by pool name
 * @property {(options?: { config?: Record<string, string | number> }) => Promise<import('../lib/server.mjs').ServerProcess>} startServer
 *   a fresh server process on a copy of the seeded data
 * @property {(message: string) => void} log
 * @property {boolean} existingBuild use dist/ as it is unless missing (no rebuild of stale output)
 */

/**
 * What a scenario returns: its parameters, one flat figure map per run, and anything else worth
 * keeping in latest.json (per-step tables, byte counts).
 * @typedef {object} ScenarioResult
 * @property {Record<string, unknown>} params
 * @property {Record<string, number | undefined>[]} runs
 * @property {Record<string, unknown>} [details]
 */

export {};
