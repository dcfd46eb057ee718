// The machine the figures came from: recorded next to every result, because a figure without
// its machine cannot be compared.
import fs from 'node:fs';
import os from 'node:os';

/**
 * @typedef {object} MachineInfo
 * @property {string} cpuModel
 * @property {number} cores logical CPUs available to this process
 * @property {number} memoryBytes
 * @property {string} node
 * @property {string} os
 * @property {number} openFilesLimit soft RLIMIT_NOFILE (bounds sessions per process)
 */

/** @returns {MachineInfo} */
export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism ? os.availableParallelism() : cpus.length,
    memoryBytes: os.totalmem(),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    openFilesLimit: openFilesLimit(),
  };
}

/** The soft open-files limit of this process (Linux), or -1 when unknown. */
export function openFilesLimit() {
  try {
    const limits = fs.readFileSync('/proc/self/limits', 'utf8');
    const line = limits.split('\n').find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    if (soft === 'unlimited') return Number.MAX_SAFE_INTEGER;
    return soft ? Number(soft) : -1;
  } catch {
    return -1;
  }
}

/**
 * One line for tables: "AMD EPYC, 2 cores, 23.5 GiB, Node v20.20.2".
 * @param {MachineInfo} machine
 */
export function describeMachine(machine) {
  const gib = (machine.memoryBytes / 2 ** 30).toFixed(1);
  return `${machine.cpuModel}, ${machine.cores} cores, ${gib} GiB, Node ${machine.node}, ${machine.os}`;
}
