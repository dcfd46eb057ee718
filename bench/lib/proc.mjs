// Resource use of another process, read from Linux /proc: resident memory from
// /proc/<pid>/status (VmRSS) and CPU time from /proc/<pid>/stat (utime + stime).
import fs from 'node:fs';

/** Clock ticks per second for /proc/<pid>/stat; 100 on every Linux Node supports. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * Resident set size of the process in bytes.
 * @param {number} pid
 */
export function readRssBytes(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error(`No VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/**
 * CPU time (user + system) the process has used, in milliseconds.
 * @param {number} pid
 */
export function readCpuMs(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; fields after its closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/**
 * Samples a process's RSS at an interval and remembers the peak, so "at peak" is measured rather
 * than guessed. Stop it before reading `peakBytes` for the final value.
 */
export class RssSampler {
  /**
   * @param {number} pid
   * @param {number} [intervalMs]
   */
  constructor(pid, intervalMs = 50) {
    this.pid = pid;
    this.peakBytes = readRssBytes(pid);
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  /** Takes one sample now and returns it. */
  sample() {
    try {
      const rss = readRssBytes(this.pid);
      if (rss > this.peakBytes) this.peakBytes = rss;
      return rss;
    } catch {
      // The process ended; keep the peak seen so far.
      return this.peakBytes;
    }
  }

  stop() {
    clearInterval(this.timer);
    this.sample();
    return this.peakBytes;
  }
}

/**
 * The V8 heap in use in a Hearth server, from its Prometheus endpoint (`/metrics`, served on the
 * node's own address): what its JavaScript objects take, without the heap's unused capacity.
 * @param {string} serverUrl
 * @returns {Promise<number | undefined>} bytes, or undefined when the server does not report it
 */
export async function readHeapUsedBytes(serverUrl) {
  const response = await fetch(new URL('/metrics', serverUrl));
  if (!response.ok) return undefined;
  const line = (await response.text()).split('\n').find((l) => l.startsWith('nodejs_heap_size_used_bytes '));
  return line ? Number(line.split(' ')[1]) : undefined;
}
