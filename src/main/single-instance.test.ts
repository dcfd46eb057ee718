import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from './test-support/fake-electron.js';
import { claimSingleInstance, registerDeepLinkScheme } from './single-instance.js';

vi.mock('electron', () => import('./test-support/fake-electron.js'));

beforeEach(() => fake.resetFakeElectron());

function handlers() {
  return { focus: vi.fn(), openLink: vi.fn() };
}

describe('single instance', () => {
  it('a second launch hands over and quits', () => {
    fake.app.singleInstanceLock = false;
    const h = handlers();
    expect(claimSingleInstance(h)).toBe(false);
    expect(fake.callsTo('app', 'quit')).toHaveLength(1);
    expect(fake.app.listenerCount('second-instance')).toBe(0);
  });

  it('the first instance comes to the front and receives the second launch\'s deep link', () => {
    const h = handlers();
    expect(claimSingleInstance(h)).toBe(true);
    fake.app.emit('second-instance', {}, ['/usr/bin/hearth', '--enable-features=X', 'hearth://invite/Abc123'], '/home/u');
    expect(h.focus).toHaveBeenCalledOnce();
    expect(h.openLink).toHaveBeenCalledWith({ kind: 'invite', code: 'Abc123', server: null });
  });

  it('a second launch without a link only focuses, and a hostile link is ignored', () => {
    const h = handlers();
    claimSingleInstance(h);
    fake.app.emit('second-instance', {}, ['/usr/bin/hearth'], '/');
    fake.app.emit('second-instance', {}, ['/usr/bin/hearth', 'hearth://invite/../../x'], '/');
    expect(h.focus).toHaveBeenCalledTimes(2);
    expect(h.openLink).not.toHaveBeenCalled();
  });

  it('takes macOS open-url links', () => {
    const h = handlers();
    claimSingleInstance(h);
    const event = { preventDefault: vi.fn() };
    fake.app.emit('open-url', event, 'hearth://invite/mac42');
    expect(event.preventDefault).toHaveBeenCalled();
    expect(h.openLink).toHaveBeenCalledWith({ kind: 'invite', code: 'mac42', server: null });
  });

  it('registers the hearth:// scheme (with the app path in development)', () => {
    registerDeepLinkScheme(['/usr/lib/electron/electron', 'dist/main/index.js']);
    const [call] = fake.callsTo('app', 'setAsDefaultProtocolClient');
    expect(call?.args[0]).toBe('hearth');
    expect(call?.args[2]).toEqual([expect.stringMatching(/dist\/main\/index\.js$/)]);
    fake.resetFakeElectron();
    fake.app.isPackaged = true;
    registerDeepLinkScheme();
    expect(fake.callsTo('app', 'setAsDefaultProtocolClient').map((c) => c.args)).toEqual([['hearth']]);
  });
});
