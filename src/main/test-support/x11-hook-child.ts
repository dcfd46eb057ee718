/**
 * Runs in a child process (through jiti) for the X11 push-to-talk test: the real uiohook hook
 * behind Hearth's push-to-talk, on the X display in DISPLAY. Prints `source <kind>`, then
 * `pressed true|false` on each change; quits when its stdin closes. A process of its own because
 * Xlib ends the process that still holds a connection when the X server goes away.
 */
import { PushToTalk } from '../push-to-talk.js';
import { PushToTalkInputs, type InputHook } from '../ptt-input.js';
import { availabilityOf, choosePushToTalkSource } from '../ptt-platform.js';
import { probeXDisplay } from '../x-display.js';

const source = await choosePushToTalkSource({
  platform: 'linux',
  env: { XDG_SESSION_TYPE: 'x11', DISPLAY: process.env.DISPLAY },
  ozonePlatform: null,
  probeDisplay: (display) => probeXDisplay(display),
  connectBus: () => Promise.reject(new Error('not on Wayland')),
});
console.log(`source ${source.kind}`);
const { uIOhook } = (await import('uiohook-napi')) as unknown as { uIOhook: InputHook };
const inputs = new PushToTalkInputs(new PushToTalk((pressed) => console.log(`pressed ${pressed}`)), source.kind === 'hook' ? uIOhook : null, { subscribe: () => () => {} }, availabilityOf(source));
inputs.configure({ enabled: true, binding: { kind: 'key', code: 0x002f, label: 'V' }, releaseDelayMs: 0 });
console.log('ready');
process.stdin.resume();
process.stdin.on('end', () => {
  inputs.dispose();
  process.exit(0);
});
