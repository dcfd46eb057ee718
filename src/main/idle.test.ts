import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Status } from '../shared/protocol/entities.js';
import { AutoIdle } from './idle.js';

class FakePowerMonitor extends EventEmitter {
  idleSeconds = 0;
  getSystemIdleTime(): number {
    return this.idleSeconds;
  }
}

function setup(initial: Status = 'online') {
  const power = new FakePowerMonitor();
  let status: Status = initial;
  const changes: Status[] = [];
  const idle = new AutoIdle({
    idle: power,
    getStatus: () => status,
    setStatus: (next) => {
      status = next;
      changes.push(next);
    },
    pollMs: 1000,
  });
  return { power, idle, changes, setUserStatus: (next: Status) => (status = next), status: () => status };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('AutoIdle', () => {
  it('goes idle after the configured minutes without input and back online on activity', () => {
    const { power, idle, changes } = setup();
    idle.setMinutes(5);
    power.idleSeconds = 299;
    vi.advanceTimersByTime(1000);
    expect(changes).toEqual([]);
    power.idleSeconds = 300;
    vi.advanceTimersByTime(1000);
    expect(changes).toEqual(['idle']);
    vi.advanceTimersByTime(5000);
    expect(changes).toEqual(['idle']);
    power.idleSeconds = 2;
    vi.advanceTimersByTime(1000);
    expect(changes).toEqual(['idle', 'online']);
    idle.dispose();
  });

  it.each(['dnd', 'invisible', 'idle'] as const)('never overrides a chosen %s status', (chosen) => {
    const { power, idle, changes } = setup(chosen);
    idle.setMinutes(1);
    power.idleSeconds = 3600;
    vi.advanceTimersByTime(1000);
    power.idleSeconds = 0;
    vi.advanceTimersByTime(1000);
    expect(changes).toEqual([]);
    idle.dispose();
  });

  it('does not undo a status the user picked while auto-idle', () => {
    const { power, idle, changes, setUserStatus } = setup();
    idle.setMinutes(1);
    power.idleSeconds = 60;
    vi.advanceTimersByTime(1000);
    setUserStatus('dnd');
    power.idleSeconds = 0;
    vi.advanceTimersByTime(1000);
    expect(changes).toEqual(['idle']);
    idle.dispose();
  });

  it('goes idle on screen lock and back on unlock', () => {
    const { power, idle, changes } = setup();
    idle.setMinutes(10);
    power.emit('lock-screen');
    expect(changes).toEqual(['idle']);
    power.emit('unlock-screen');
    expect(changes).toEqual(['idle', 'online']);
    idle.dispose();
  });

  it('undoes its idle status when the app quits, so it is not remembered', () => {
    const { power, idle, changes } = setup();
    idle.setMinutes(1);
    power.idleSeconds = 120;
    vi.advanceTimersByTime(1000);
    idle.dispose();
    expect(changes).toEqual(['idle', 'online']);
  });

  it('is off at 0 minutes and turning it off returns to online', () => {
    const { power, idle, changes } = setup();
    idle.setMinutes(0);
    power.idleSeconds = 100_000;
    vi.advanceTimersByTime(10_000);
    expect(changes).toEqual([]);
    idle.setMinutes(1);
    vi.advanceTimersByTime(1000);
    idle.setMinutes(0);
    expect(changes).toEqual(['idle', 'online']);
  });
});
