// Voice scenario, orchestrated: the server under test carries only the signalling (op 4 and the
// op 40 relay); the media flows peer to peer between the load generator's participants over
// loopback. The load generator (bench/loadgen/voice.mjs) measures one-way latency and bytes; the
// server's CPU is read while the participants talk, to show what the mesh costs it.
import { runLoadgen } from '../lib/loadgen-process.mjs';
import { readCpuMs } from '../lib/proc.mjs';

/**
 * @param {import('./types.mjs').BenchContext} ctx
 * @param {{ participants: number, impulses: number, intervalMs: number, warmupMs: number, steadySeconds: number }} size
 * @returns {Promise<import('./types.mjs').ScenarioResult>}
 */
export async function runVoice(ctx, size) {
  const pool = ctx.pools.community;
  if (!pool) throw new Error('The seed has no "community" pool');
  const server = await ctx.startServer();
  try {
    /** Server CPU ms per second of each run's measured part (between the load generator's run markers). */
    const cpuByRun = /** @type {number[]} */ ([]);
    const loadgenCpuByRun = /** @type {number[]} */ ([]);
    let loadgenPid = 0;
    let last = { cpu: 0, loadgen: 0, at: 0 };
    const snapshot = () => ({ cpu: readCpuMs(server.pid), loadgen: loadgenPid ? readCpuMs(loadgenPid) : 0, at: performance.now() });
    const result = await runLoadgen(
      'voice',
      { target: server.url, tokens: pool.tokensFile, count: size.participants, impulses: size.impulses, interval: size.intervalMs, warmup: size.warmupMs, steady: size.steadySeconds, repeats: ctx.runs },
      {
        onSpawn: (pid) => (loadgenPid = pid),
        onPhase: (phase) => {
          if (phase.name === 'run-start') last = snapshot();
        },
        onProgress: () => {
          const now = snapshot();
          cpuByRun.push((now.cpu - last.cpu) / ((now.at - last.at) / 1000));
          loadgenCpuByRun.push(((now.loadgen - last.loadgen) / (now.at - last.at)) * 100);
          last = now;
        },
      },
    );
    if (result.errors.length > 0) ctx.log(`voice: errors: ${result.errors.join('; ')}`);
    const runs = result.runs.map((/** @type {any} */ run, /** @type {number} */ index) => ({
      oneWayP50Ms: run.latencyMs.p50,
      oneWayP99Ms: run.latencyMs.p99,
      oneWayMaxMs: run.latencyMs.max,
      // First IDENTIFY to every connection of the mesh carrying audio (join, signalling, ICE, DTLS).
      meshReadyMs: run.meshReadyMs,
      impulsesLost: run.lost,
      // The receivers' jitter buffer (NetEq) delay during the impulses: the part of the latency spent waiting out jitter.
      jitterBufferMs: run.jitterBufferMs,
      jitterBufferTargetMs: run.jitterBufferTargetMs,
      speakerUploadBytesPerSecond: run.speakerUploadBytesPerSecond,
      streamWireBytesPerSecond: run.streamWireBytesPerSecond,
      streamOpusKbps: (run.streamOpusBytesPerSecond * 8) / 1000,
      streamPacketsPerSecond: run.streamPacketsPerSecond,
      listenerDownloadBytesPerSecond: run.listenerDownloadBytesPerSecond,
      // Signalling and heartbeats only: the media never passes through the server.
      serverCpuMsPerSecond: cpuByRun[index],
      // All participants' WebRTC (encode, decode, jitter buffers) in one process, as a share of one core.
      loadgenCpuPercent: loadgenCpuByRun[index],
      // The stand-in microphone's lateness: jitter that the receivers' buffers see but a real microphone would not add.
      sourceLateP99Ms: run.sourceLateP99Ms,
    }));
    return {
      params: { participants: result.participants, speakers: 1, bitrate: result.bitrate, impulsesPerRun: size.impulses, intervalMs: size.intervalMs, steadySeconds: size.steadySeconds },
      runs,
      details: { samplesPerRun: result.runs.map((/** @type {any} */ run) => run.detected), errors: result.errors },
    };
  } finally {
    await server.stop();
  }
}
